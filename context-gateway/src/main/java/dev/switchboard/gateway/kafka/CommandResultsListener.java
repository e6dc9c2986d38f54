package dev.switchboard.gateway.kafka;

import dev.switchboard.events.CommandResult;
import dev.switchboard.gateway.commands.CommandStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Every instance reads every result (per-instance group), so whichever instance holds the waiting request learns the
 * outcome, and any instance can answer {@code GET /v1/commands/{id}}.
 */
@ApplicationScoped
public class CommandResultsListener {
    private static final Logger LOG = Logger.getLogger(CommandResultsListener.class);

    private final CommandStore commands;
    private final CommandResultsProgress progress;

    CommandResultsListener(CommandStore commands, CommandResultsProgress progress) {
        this.commands = commands;
        this.progress = progress;
    }

    @Incoming("command-results-in")
    public CompletionStage<Void> onResult(Message<CommandResult> message) {
        Optional<TopicPartition> partition = IncomingRecords.partition(message);
        long offset = IncomingRecords.offset(message);
        try {
            CommandResult result = message.getPayload();
            if (result == null) {
                return undecodable(message, partition, offset);
            }
            commands.decide(result);
            LOG.debugf("room %s: %s %s -> %s", result.getRoom(), result.getCommandType(), result.getCommandId(), result.getStatus());
            return message.ack();
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot record command result at %s offset %d", partition.orElse(null), offset);
            return message.nack(e);
        } finally {
            partition.ifPresent(p -> progress.handled(p, offset));
        }
    }

    private CompletionStage<Void> undecodable(Message<CommandResult> message, Optional<TopicPartition> partition, long offset) {
        Optional<String> failure = IncomingRecords.deserializationFailure(message);
        if (failure.isEmpty()) {
            return message.ack();
        }
        if (partition.isPresent() && progress.isHistory(partition.get(), offset)) {
            LOG.warnf("skipping an undecodable command result from before start-up at %s offset %d: %s",
                    partition.get(), offset, failure.get());
            return message.ack();
        }
        LOG.warnf("dead-lettering an undecodable command result at %s offset %d: %s", partition.orElse(null), offset, failure.get());
        return message.nack(new IllegalArgumentException("not a decodable CommandResult: " + failure.get()));
    }
}
