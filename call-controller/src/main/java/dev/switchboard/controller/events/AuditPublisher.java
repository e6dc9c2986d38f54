package dev.switchboard.controller.events;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.schemas.audit.AuditRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.util.concurrent.CompletionStage;

/** Publishes audit records ({@code switchboard.audit}) keyed by room, completing on the broker's acknowledgement. */
@ApplicationScoped
public class AuditPublisher {
    private final KafkaSender<AuditRecord> sender;

    AuditPublisher(@Channel("audit") MutinyEmitter<Record<String, AuditRecord>> emitter, KafkaSenders senders) {
        this.sender = senders.of(emitter, "audit record");
    }

    public CompletionStage<Void> publish(AuditRecord record) {
        return sender.sendAsync(AuditRecords.key(record), record);
    }
}
