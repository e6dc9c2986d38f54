package dev.switchboard.controller.workers;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Usage;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The records the controller writes about a lost worker. Their ids are derived from the worker and the session, so
 * a controller that does the work again (it crashed before writing the verdict, or a partition moved) writes the
 * same ids, and consumers that are idempotent by event id or command id see it once.
 */
@ApplicationScoped
public class WorkerLostRecords {
    static final Duration HANGUP_LIFETIME = Duration.ofSeconds(30);

    private final String source;

    WorkerLostRecords(@ConfigProperty(name = "quarkus.application.name") String source) {
        this.source = source;
    }

    /** Who ends the sessions: this service, by policy. */
    Issuer issuer() {
        return new Issuer(IssuerKind.POLICY, source, "worker-loss", null);
    }

    /** SessionEnded WORKER_LOST; no usage is known (it died with the worker), the duration runs to the verdict. */
    public SessionEvent sessionEnded(WorkerHeartbeat last, WorkerSession session, Instant now) {
        SessionEnded ended = SessionEnded.newBuilder()
                .setReason(EndReason.WORKER_LOST)
                .setEndedBy(issuer())
                .setDetail(detail(last, now))
                .setDurationMs(Math.max(0, Duration.between(session.getStartedAt(), now).toMillis()))
                .setUsage(Usage.newBuilder().build())
                .build();
        return SessionEvent.newBuilder()
                .setEventId(derivedId("worker-lost-session", last.getWorkerId() + ":" + session.getSessionId()))
                .setRoom(session.getRoom())
                .setSessionId(session.getSessionId())
                .setOccurredAt(now)
                .setSource(source)
                .setPayload(ended)
                .build();
    }

    /** The hang-up of an orphaned room (policy {@code hangup}), carried out like any other, once per command id. */
    public CallControlRequest hangup(WorkerHeartbeat last, WorkerSession session, Instant now) {
        HangupRequested hangup = HangupRequested.newBuilder()
                .setReason(EndReason.WORKER_LOST)
                .setDetail(detail(last, now))
                .setScope(HangupScope.POLICY_DEFAULT)
                .setParticipantIdentity(null)
                .setTransport(session.getTransport())
                .setSessionId(session.getSessionId())
                .build();
        return CallControlRequest.newBuilder()
                .setCommandId(derivedId("worker-lost-hangup", last.getWorkerId() + ":" + session.getSessionId()))
                .setRoom(session.getRoom())
                .setIssuer(issuer())
                .setIssuedAt(now)
                .setExpiresAt(now.plus(HANGUP_LIFETIME))
                .setCorrelationId(null)
                .setTenant(session.getTenant())
                .setPayload(hangup)
                .build();
    }

    /**
     * The verdict, on the heartbeat topic under the worker's key: every controller that reads it leaves the worker be.
     * It lists the sessions that were ended (a worker that comes back ends those), not those another worker still reports.
     */
    public WorkerHeartbeat verdict(WorkerHeartbeat last, List<WorkerSession> ended, Instant now) {
        return WorkerHeartbeat.newBuilder()
                .setWorkerId(last.getWorkerId())
                .setState(WorkerState.LOST)
                .setSentAt(now)
                .setSource(source)
                .setIntervalMs(0)
                .setAgentName(last.getAgentName())
                .setSessions(ended)
                .setDetail(detail(last, now))
                .build();
    }

    /**
     * How long the worker has been silent, from its last heartbeat's own time: the silence the verdict waited for is
     * counted from when this controller heard that beat (a controller that started since heard it as it started).
     */
    private static String detail(WorkerHeartbeat last, Instant now) {
        long silentMs = Math.max(0, Duration.between(last.getSentAt(), now).toMillis());
        return "agent worker " + last.getWorkerId() + " silent for " + silentMs + " ms (beats every "
                + last.getIntervalMs() + " ms; its last heartbeat was sent at " + last.getSentAt() + ")";
    }

    private static String derivedId(String namespace, String id) {
        return UUID.nameUUIDFromBytes((namespace + ":" + id).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
