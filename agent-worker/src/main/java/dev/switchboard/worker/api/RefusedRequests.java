package dev.switchboard.worker.api;

import dev.switchboard.kit.auth.AccessRefused;
import dev.switchboard.kit.auth.RefusalAudits;
import dev.switchboard.worker.session.SessionPublisher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Puts the simulated-call requests refused for a missing scope in the audit trail, as the gateway and the transcript
 * service do for theirs: someone with a token trying to start or drive calls they may not is a record of who tried what.
 */
@ApplicationScoped
public class RefusedRequests {
    private static final Logger LOG = Logger.getLogger(RefusedRequests.class);
    private static final String SERVICE = "agent-worker";

    private final RefusalAudits audits;
    private final SessionPublisher publisher;

    RefusedRequests(RefusalAudits audits, SessionPublisher publisher) {
        this.audits = audits;
        this.publisher = publisher;
    }

    void refused(@Observes AccessRefused refused) {
        audits.record(refused, SERVICE).ifPresent(record -> publisher.audit(record).exceptionally(failure -> {
            LOG.warnf("the audit record of a refused %s by %s was not published: %s", refused.route(), refused.caller().id(),
                    failure.getMessage());
            return null;
        }));
    }
}
