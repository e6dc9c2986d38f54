package dev.switchboard.controller.tenancy;

import dev.switchboard.controller.events.CommandResultPublisher;
import dev.switchboard.controller.events.CommandResults;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.events.CallControlRequest;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Answers a request the {@link TenantFence} refused: a CommandResult REJECTED with the reason, under the tenant of the
 * session in the room as the worker's rejections are (that tenant sees the attempt on its call), and the outcome Refused,
 * which the listener audits (REFUSED, with the reason, under that same tenant: the worker files the commands it refuses so)
 * and dead-letters. No session event: the room is the other tenant's call, and a CallEnded or CallFailed
 * there would change that call's state for everyone who follows it.
 */
@ApplicationScoped
public class TenantRefusals {
    private static final Logger LOG = Logger.getLogger(TenantRefusals.class);

    private final CommandResults results;
    private final CommandResultPublisher publisher;
    private final MeterRegistry metrics;

    TenantRefusals(CommandResults results, CommandResultPublisher publisher, MeterRegistry metrics) {
        this.results = results;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    public ControlOutcome refuse(CallControlRequest request, TenantFence.Verdict.Refused refused) {
        String type = request.getPayload().getClass().getSimpleName();
        ReportedSession session = refused.session();
        LOG.warnf("room %s: %s %s from %s/%s not carried out: %s", request.getRoom(), type, request.getCommandId(),
                request.getIssuer().getKind(), request.getIssuer().getId(), refused.reason());
        metrics.counter("switchboard.controller.tenant.refusals", "type", type).increment();
        try {
            publisher.publish(session == null ? results.rejected(request, refused.reason(), null, request.getTenant())
                    : results.rejected(request, refused.reason(), session.sessionId(), session.tenant()));
        } catch (RuntimeException e) {
            // The dead letter and the audit record still tell; the result is what a waiting requester would have read.
            LOG.errorf("room %s: the rejection of %s %s could not be published: %s", request.getRoom(), type, request.getCommandId(),
                    e.getMessage());
        }
        return new ControlOutcome.Refused(refused.reason(), session == null ? null : session.tenant());
    }
}
