package dev.switchboard.gateway.audit;

import dev.switchboard.gateway.kafka.KafkaPublisher;
import dev.switchboard.kit.auth.AccessRefused;
import dev.switchboard.kit.auth.RefusalAudits;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Puts the requests refused for a missing scope (someone trying to steer or read calls they may not) in the audit trail. */
@ApplicationScoped
public class RefusedRequests {
    private static final Logger LOG = Logger.getLogger(RefusedRequests.class);
    private static final String SERVICE = "context-gateway";

    private final RefusalAudits audits;
    private final KafkaPublisher publisher;

    RefusedRequests(RefusalAudits audits, KafkaPublisher publisher) {
        this.audits = audits;
        this.publisher = publisher;
    }

    void refused(@Observes AccessRefused refused) {
        audits.record(refused, SERVICE).ifPresent(record -> publisher.publish(record).subscribe().with(
                published -> {
                },
                failure -> LOG.warnf("the audit record of a refused %s by %s was not published: %s", refused.route(),
                        refused.caller().id(), failure.getMessage())));
    }
}
