package dev.switchboard.controller.control;

import dev.switchboard.controller.events.AuditPublisher;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.kit.kafka.RecordTraces;
import dev.switchboard.schemas.audit.AuditRecords;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Consumes switchboard.call-control (one shared group: each request is handled by one controller instance).
 * Each request is handed to the {@link CallControlRouter} and the next one taken at once: requests run in parallel
 * on virtual threads (one room's hang-ups and transfers in arrival order), so a hang-up being retried or a dial
 * waiting for a phone holds up nothing else. The record is acknowledged once its outcome is settled (Kafka commits
 * in offset order whatever the order of acknowledgements); refused requests and undecodable records go to
 * switchboard.call-control.dlq with the reason.
 *
 * <p>In {@code control}, with the router it feeds: it takes every kind of request (hang-ups, dials, transfers), and the
 * services the router hands them to must not depend on their caller.
 */
@ApplicationScoped
public class CallControlListener {
    private static final Logger LOG = Logger.getLogger(CallControlListener.class);

    private static final String SERVICE = "call-controller";

    private final CallControlRouter router;
    private final DeadLetters deadLetters;
    private final AuditPublisher audit;
    private final Clock clock;
    private final RecordTraces traces;

    CallControlListener(CallControlRouter router, DeadLetters deadLetters, AuditPublisher audit, Clock clock, RecordTraces traces) {
        this.router = router;
        this.deadLetters = deadLetters;
        this.audit = audit;
        this.clock = clock;
        this.traces = traces;
    }

    @Incoming("call-control")
    public CompletionStage<Void> onRequest(Message<CallControlRequest> message) {
        Optional<CompletionStage<Void>> unusable = deadLetters.rejectIfUnusable(message);
        if (unusable.isPresent()) {
            return unusable.get();
        }
        CallControlRequest request = message.getPayload();
        // With tracing on, carrying out the request is a span in the sender's trace, and what it publishes joins it.
        Context sent = traces.contextOf(message);
        Span span = traces.span("handle " + request.getPayload().getClass().getSimpleName(), sent)
                .setAttribute("switchboard.room", request.getRoom())
                .setAttribute("switchboard.command_id", request.getCommandId())
                .startSpan();
        Context traced = sent.with(span);
        CompletableFuture<ControlOutcome> handled;
        try (Scope ignored = traced.makeCurrent()) {
            handled = router.submit(request);
        }
        handled
                .handle(traced.wrapFunction((outcome, error) -> {
                    span.setAttribute("switchboard.outcome", outcome == null ? "FAILED" : outcome.getClass().getSimpleName());
                    span.end();
                    if (outcome instanceof ControlOutcome.Deferred deferred) {
                        // Unacknowledged, its offset is not committed: the partition's next reader carries it out.
                        LOG.infof("room %s: request %s left for the next call controller: %s", request.getRoom(),
                                request.getCommandId(), deferred.reason());
                        return CompletableFuture.<Void>completedFuture(null);
                    }
                    audited(request, outcome, error);
                    if (error != null) {
                        LOG.errorf(error, "room %s: request %s failed unexpectedly", request.getRoom(), request.getCommandId());
                        return deadLetters.reject(message, Poison.failed(error));
                    }
                    return switch (outcome) {
                        case ControlOutcome.Done done -> message.ack();
                        case ControlOutcome.Failed failed -> message.ack();
                        case ControlOutcome.Skipped skipped -> message.ack();
                        case ControlOutcome.Refused refused -> deadLetters.reject(message, poison(refused));
                        case ControlOutcome.Deferred deferred -> CompletableFuture.<Void>completedFuture(null); // handled above
                    };
                }))
                .thenCompose(settled -> settled);
        return CompletableFuture.completedFuture(null);
    }

    /** A refused request is dead-lettered as invalid when it is at fault, as failed when carrying it out failed. */
    private static Poison poison(ControlOutcome.Refused refused) {
        CallControlRefused why = new CallControlRefused(refused.reason());
        return refused.cause() == ControlOutcome.Refused.Cause.REQUEST ? Poison.invalid(why) : Poison.failed(why);
    }

    /**
     * Records who asked for what and what became of it. The request's own outcome does not wait for the audit record:
     * a broker that cannot take it is logged, and the request is settled as it would be without it.
     */
    private void audited(CallControlRequest request, ControlOutcome outcome, Throwable error) {
        String result;
        String detail;
        String tenant = request.getTenant();
        switch (outcome) {
            case null -> {
                result = AuditRecords.FAILED;
                detail = error == null ? null : error.getClass().getSimpleName();
            }
            case ControlOutcome.Done done -> {
                result = AuditRecords.DONE;
                detail = done.summary();
            }
            case ControlOutcome.Failed failed -> {
                result = AuditRecords.FAILED;
                detail = failed.reason();
            }
            case ControlOutcome.Skipped skipped -> {
                result = "SKIPPED";
                detail = skipped.why();
            }
            case ControlOutcome.Refused refused -> {
                result = "REFUSED";
                detail = refused.reason();
                if (refused.auditTenant() != null) {
                    tenant = refused.auditTenant();
                }
            }
            case ControlOutcome.Deferred deferred -> {
                return; // nothing was done here: the instance that carries it out audits it
            }
        }
        String sessionId = request.getPayload() instanceof HangupRequested hangup ? hangup.getSessionId() : null;
        audit.publish(AuditRecords.ofCallControl(request, result, detail, sessionId, tenant, clock.instant(), SERVICE))
                .exceptionally(failure -> {
                    LOG.warnf("room %s: the audit record of request %s was not published: %s", request.getRoom(), request.getCommandId(),
                            failure.getMessage());
                    return null;
                });
    }

    /** The reason a request was dead-lettered; its message becomes the record's dead-letter-reason header. */
    static final class CallControlRefused extends RuntimeException {
        CallControlRefused(String reason) {
            super(reason, null, false, false);
        }
    }
}
