package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.kit.kafka.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Every instance reads every result (per-instance group), so whichever instance holds the waiting request learns the
 * outcome, and any instance can answer {@code GET /v1/commands/{id}}. The replay window re-reads results from before
 * the start: poison among them was dead-lettered when it came, and is only counted again.
 */
@ApplicationScoped
public class CommandResultsListener {
    private static final Logger LOG = Logger.getLogger(CommandResultsListener.class);

    private final CommandStore commands;
    private final OutboundCalls calls;
    private final CommandResultsProgress progress;
    private final DeadLetters deadLetters;

    CommandResultsListener(CommandStore commands, OutboundCalls calls, CommandResultsProgress progress, DeadLetters deadLetters) {
        this.commands = commands;
        this.calls = calls;
        this.progress = progress;
        this.deadLetters = deadLetters;
    }

    @Incoming("command-results-in")
    public CompletionStage<Void> onResult(Message<CommandResult> message) {
        return progress.consume(message, deadLetters, record -> {
            CommandResult result = ValidRecords.commandResult(record);
            commands.decide(result);
            calls.commandResult(result); // a dial the call controller refused ends FAILED: no CallFailed follows
            LOG.debugf("room %s: %s %s -> %s", result.getRoom(), result.getCommandType(), result.getCommandId(), result.getStatus());
        });
    }
}
