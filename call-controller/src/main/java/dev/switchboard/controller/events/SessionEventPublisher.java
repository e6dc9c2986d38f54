package dev.switchboard.controller.events;

import dev.switchboard.events.SessionEvent;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes session events keyed by room and waits for the broker's acknowledgement (acks=all), bounded by the publish timeout. */
@ApplicationScoped
public class SessionEventPublisher {
    private final KafkaSender<SessionEvent> sender;

    SessionEventPublisher(@Channel("session-events") MutinyEmitter<Record<String, SessionEvent>> emitter, KafkaSenders senders) {
        this.sender = senders.of(emitter, "session event");
    }

    /** Blocks until Kafka has the event; call it from a worker or virtual thread. Throws when it could not be published. */
    public void publish(SessionEvent event) {
        sender.sendAndAwait(event.getRoom(), event);
    }
}
