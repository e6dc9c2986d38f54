package dev.switchboard.transcripts.audit;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.Issuer;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.schemas.audit.AuditRecords;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The transcript service's own audit records: deletions on request and retention purges, one record per tenant whose
 * sessions were removed, with counts and ids, never content. The deletion stands whether or not its record could be
 * published; a record that could not is logged.
 */
@ApplicationScoped
public class AuditTrail {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final String SERVICE = "transcript-service";
    private static final Issuer RETENTION = AuditRecords.system("retention-policy");

    private final KafkaSender<AuditRecord> sender;
    private final Clock clock;

    AuditTrail(@Channel("audit") MutinyEmitter<Record<String, AuditRecord>> emitter, KafkaSenders senders, Clock clock) {
        this.sender = senders.of(emitter, "audit record");
        this.clock = clock;
    }

    /** Sessions deleted on request: who asked (from the token), which room, how many of each tenant's sessions. */
    public void deleted(Issuer actor, String room, Map<String, Integer> sessionsByTenant, String sessionIds) {
        Instant now = clock.instant();
        sessionsByTenant.forEach((tenant, sessions) -> publish(AuditRecords.action(actor, tenant, AuditRecords.TRANSCRIPT_DELETED,
                AuditRecords.DONE, now, SERVICE).setRoom(room).setDetail(sessions + " session(s) deleted: " + sessionIds).build()));
    }

    /** A retention purge: how many of each tenant's sessions it removed. */
    public void purged(Map<String, Integer> sessionsByTenant, Instant cutoff) {
        Instant now = clock.instant();
        sessionsByTenant.forEach((tenant, sessions) -> publish(AuditRecords.action(RETENTION, tenant, AuditRecords.RETENTION_PURGE,
                AuditRecords.DONE, now, SERVICE).setDetail(sessions + " session(s) that started before " + cutoff + " purged").build()));
    }

    private void publish(AuditRecord record) {
        sender.sendAsync(AuditRecords.key(record), record).exceptionally(failure -> {
            LOG.warnf("the audit record of a %s (tenant %s) was not published: %s", record.getAction(), record.getTenant(), failure.getMessage());
            return null;
        });
    }
}
