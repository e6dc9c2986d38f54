package dev.switchboard.gateway.audit;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.Issuer;
import dev.switchboard.gateway.commands.CommandRefused;
import dev.switchboard.gateway.commands.RefusalRecorder;
import dev.switchboard.gateway.kafka.KafkaPublisher;
import dev.switchboard.kit.auth.AccessRefused;
import dev.switchboard.kit.auth.AuditBudget;
import dev.switchboard.kit.auth.RefusalAudits;
import dev.switchboard.schemas.audit.AuditRecords;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Puts the requests the gateway refused in the audit trail: those refused for a missing scope (someone trying to steer
 * or read calls they may not), and the commands refused before they were published (a call that is not there or has
 * ended, a room already in use, an Idempotency-Key used for something else). A command Kafka did not take is not
 * recorded: the record would not be taken either, and the caller was told to retry. At most one record per caller,
 * action, room and refusal a minute, and {@value #REFUSED_COMMANDS_PER_MINUTE} per caller a minute in all, so neither a
 * script retrying nor one trying room after room can flood the trail.
 */
@ApplicationScoped
public class RefusedRequests implements RefusalRecorder {
    private static final Logger LOG = Logger.getLogger(RefusedRequests.class);
    private static final String SERVICE = "context-gateway";
    private static final Duration QUIET = Duration.ofMinutes(1);
    static final int REFUSED_COMMANDS_PER_MINUTE = 30;

    private final RefusalAudits audits;
    private final KafkaPublisher publisher;
    private final Clock clock;
    private final AuditBudget onePerRefusal = new AuditBudget(1, QUIET);
    /** Room names are the caller's to choose: without a cap, one token could write a record per request it sends. */
    private final AuditBudget perCaller = new AuditBudget(REFUSED_COMMANDS_PER_MINUTE, QUIET);

    RefusedRequests(RefusalAudits audits, KafkaPublisher publisher, Clock clock) {
        this.audits = audits;
        this.publisher = publisher;
        this.clock = clock;
    }

    void refused(@Observes AccessRefused refused) {
        audits.record(refused, SERVICE).ifPresent(record -> publish(record, refused.route(), refused.caller().id()));
    }

    @Override
    public void refused(Issuer issuer, String tenant, String action, CommandRefused refused) {
        if (refused.refusal() == CommandRefused.Refusal.PUBLISH_FAILED) {
            return;
        }
        Instant now = clock.instant();
        String key = issuer.getId() + '\n' + tenant + '\n' + action + '\n' + refused.room() + '\n' + refused.refusal();
        if (!onePerRefusal.spend(key, now) || !perCaller.spend(issuer.getId() + '\n' + tenant, now)) {
            return;
        }
        AuditRecord record = AuditRecords.action(issuer, tenant, action, RefusalAudits.OUTCOME, now, SERVICE)
                .setRoom(refused.room())
                .setDetail(refused.getMessage())
                .build();
        publish(record, action, issuer.getId());
    }

    private void publish(AuditRecord record, String what, String who) {
        publisher.publish(record).subscribe().with(
                published -> {
                },
                failure -> LOG.warnf("the audit record of a refused %s by %s was not published: %s", what, who, failure.getMessage()));
    }
}
