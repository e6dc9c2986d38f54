package dev.switchboard.worker.session;

import dev.switchboard.events.Say;
import dev.switchboard.events.SessionCommand;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Say: the agent says the text after what it is saying now. Applied once said, so the result tells the sender the
 * words reached the caller; rejected when they could not be said (the session ended first, speaking failed); expired,
 * and not said, when what was said before it outlasted the command.
 */
final class SayHandler implements CommandHandler<Say> {

    @Override
    public CompletableFuture<Decision> apply(SessionCommand command, Say say, CommandTarget target) {
        Optional<Decision> invalid = CommandHandler.checkText(say.getText(), target.maxTextLength());
        if (invalid.isPresent()) {
            return invalid.get().asFuture();
        }
        AgentActivity activity = target.activity();
        return activity.enqueueUntil("say", say.getAllowInterruptions(), command.getExpiresAt(), () -> {
            activity.say(say.getText(), say.getAllowInterruptions(), say.getAddToChatContext());
            return Decision.applied();
        }, () -> Decision.expiredWhileQueued(command.getExpiresAt())).exceptionally(e -> Decision.failed("not said", e));
    }
}
