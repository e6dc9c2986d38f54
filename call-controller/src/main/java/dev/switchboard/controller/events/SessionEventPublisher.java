package dev.switchboard.controller.events;

import dev.switchboard.events.SessionEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;

/** Publishes session events keyed by room and waits for the broker's acknowledgement (acks=all). */
@ApplicationScoped
public class SessionEventPublisher {
    private final MutinyEmitter<Record<String, SessionEvent>> emitter;
    private final Duration timeout;

    SessionEventPublisher(@Channel("session-events") MutinyEmitter<Record<String, SessionEvent>> emitter,
                          @ConfigProperty(name = "switchboard.kafka.publish-timeout", defaultValue = "15s") Duration timeout) {
        this.emitter = emitter;
        this.timeout = timeout;
    }

    /** Blocks until Kafka has the event; call it from a worker or virtual thread. Throws when it could not be published. */
    public void publish(SessionEvent event) {
        emitter.send(Record.of(event.getRoom(), event)).await().atMost(timeout);
    }
}
