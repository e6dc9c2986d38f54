package dev.switchboard.transcripts.audit;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.Issuer;
import dev.switchboard.kit.auth.AccessRefused;
import dev.switchboard.kit.auth.RefusalAudits;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.transcripts.store.RetentionAudit;
import dev.switchboard.transcripts.store.SessionDeleter;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The transcript service's own audit records: deletions on request and retention purges, one record per tenant whose
 * sessions were removed, with that tenant's counts (and, for a deletion, its session ids), never content. A deletion
 * request that removed nothing is recorded too, under the caller's own tenant: who tried to delete what is part of
 * the trail. The deletion stands whether or not its record could be published; a record that could not is logged.
 */
@ApplicationScoped
public class AuditTrail implements RetentionAudit {
    private static final Logger LOG = Logger.getLogger(AuditTrail.class);
    private static final String SERVICE = "transcript-service";
    private static final Issuer RETENTION = AuditRecords.system("retention-policy");

    private final KafkaSender<AuditRecord> sender;
    private final Clock clock;
    private final RefusalAudits refusals;

    AuditTrail(@Channel("audit") MutinyEmitter<Record<String, AuditRecord>> emitter, KafkaSenders senders, Clock clock,
               RefusalAudits refusals) {
        this.sender = senders.of(emitter, "audit record");
        this.clock = clock;
        this.refusals = refusals;
    }

    /** A request refused for a missing scope (someone reading or deleting transcripts they may not). */
    void refused(@Observes AccessRefused refused) {
        refusals.record(refused, SERVICE).ifPresent(this::publish);
    }

    /**
     * Sessions deleted on request: who asked (from the token), which room, and per tenant which sessions with how many
     * segments; {@code sessionId} is the one session asked for, or null for the whole room.
     */
    public void deleted(Issuer actor, String room, UUID sessionId, Map<String, SessionDeleter.Share> byTenant) {
        Instant now = clock.instant();
        if (byTenant.isEmpty()) {
            String asked = sessionId == null ? "no session of the tenant stored under the room" : "session " + sessionId + " not stored";
            publish(AuditRecords.action(actor, actor.getTenant(), AuditRecords.TRANSCRIPT_DELETED, AuditRecords.DONE, now, SERVICE)
                    .setRoom(room).setSessionId(sessionId == null ? null : sessionId.toString())
                    .setDetail("nothing deleted: " + asked).build());
            return;
        }
        byTenant.forEach((tenant, share) -> publish(AuditRecords.action(actor, tenant, AuditRecords.TRANSCRIPT_DELETED,
                AuditRecords.DONE, now, SERVICE).setRoom(room)
                .setSessionId(share.sessions() == 1 ? share.sessionIds().getFirst().toString() : null)
                .setDetail(share.sessions() + " session(s) with " + share.segments() + " segment(s) deleted: " + share.sessionIds()).build()));
    }

    /** A retention purge: how many of each tenant's sessions and segments it removed. */
    @Override
    public void purged(Map<String, Counts> byTenant, Instant cutoff) {
        Instant now = clock.instant();
        byTenant.forEach((tenant, counts) -> publish(AuditRecords.action(RETENTION, tenant, AuditRecords.RETENTION_PURGE,
                AuditRecords.DONE, now, SERVICE).setDetail(counts.sessions() + " session(s) with " + counts.segments()
                + " segment(s) that started before " + cutoff + " purged").build()));
    }

    private void publish(AuditRecord record) {
        sender.sendAsync(AuditRecords.key(record), record).exceptionally(failure -> {
            LOG.warnf("the audit record of a %s (tenant %s) was not published: %s", record.getAction(), record.getTenant(), failure.getMessage());
            return null;
        });
    }
}
