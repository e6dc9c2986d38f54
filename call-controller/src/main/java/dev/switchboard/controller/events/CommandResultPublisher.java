package dev.switchboard.controller.events;

import dev.switchboard.events.CommandResult;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes command results keyed by room and waits for the broker's acknowledgement (acks=all), bounded by the publish timeout. */
@ApplicationScoped
public class CommandResultPublisher {
    private final KafkaSender<CommandResult> sender;

    CommandResultPublisher(@Channel("command-results") MutinyEmitter<Record<String, CommandResult>> emitter, KafkaSenders senders) {
        this.sender = senders.of(emitter, "command result");
    }

    /** Blocks until Kafka has the result; call it from a worker or virtual thread. Throws when it could not be published. */
    public void publish(CommandResult result) {
        sender.sendAndAwait(result.getRoom(), result);
    }
}
