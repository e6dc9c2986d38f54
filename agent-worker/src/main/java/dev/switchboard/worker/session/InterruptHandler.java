package dev.switchboard.worker.session;

import dev.switchboard.events.Interrupt;
import dev.switchboard.events.SessionCommand;

import java.util.concurrent.CompletableFuture;

/** Interrupt: what the agent is saying stops now, as if the caller had barged in. Applied even when it was quiet. */
final class InterruptHandler implements CommandHandler<Interrupt> {

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, Interrupt interrupt, CommandTarget target) {
        boolean interrupted = target.activity().interrupt();
        return (interrupted ? Decision.applied() : Decision.applied("nothing was being said")).asFuture();
    }
}
