package dev.switchboard.controller.events;

import dev.switchboard.events.CommandResult;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;

/** Publishes command results keyed by room and waits for the broker's acknowledgement (acks=all). */
@ApplicationScoped
public class CommandResultPublisher {
    private final MutinyEmitter<Record<String, CommandResult>> emitter;
    private final Duration timeout;

    CommandResultPublisher(@Channel("command-results") MutinyEmitter<Record<String, CommandResult>> emitter,
                           @ConfigProperty(name = "switchboard.kafka.publish-timeout", defaultValue = "15s") Duration timeout) {
        this.emitter = emitter;
        this.timeout = timeout;
    }

    /** Blocks until Kafka has the result; call it from a worker or virtual thread. Throws when it could not be published. */
    public void publish(CommandResult result) {
        emitter.send(Record.of(result.getRoom(), result)).await().atMost(timeout);
    }
}
