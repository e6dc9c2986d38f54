package dev.switchboard.worker.heartbeat;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionRegistry;
import dev.switchboard.worker.session.WorkerIdentity;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/**
 * A worker the call controller declared lost, but which is still alive (cut off from Kafka for longer than the
 * controller waits, then back), must not keep the calls the controller has already ended: their sessions are over
 * for everyone else (WORKER_LOST), and with the orphan-room policy {@code leave} LiveKit may already have sent another
 * agent into the room. So the worker reads the controller's verdicts and ends, in this process too, every session the
 * verdict about it lists, leaving their rooms. The controller published their SessionEnded before its verdict, so the
 * worker publishes none: one end per session. A session it started after the verdict is not in the list and goes on.
 */
@ApplicationScoped
public class LostVerdictListener {
    private static final Logger LOG = Logger.getLogger(LostVerdictListener.class);

    private final SessionRegistry sessions;
    private final WorkerIdentity worker;
    private final DeadLetters deadLetters;

    LostVerdictListener(SessionRegistry sessions, WorkerIdentity worker, DeadLetters deadLetters) {
        this.sessions = sessions;
        this.worker = worker;
        this.deadLetters = deadLetters;
    }

    @Incoming("worker-verdicts")
    @Blocking
    public CompletionStage<Void> onHeartbeat(Message<WorkerHeartbeat> message) {
        return deadLetters.consume(message, this::apply);
    }

    private void apply(WorkerHeartbeat heartbeat) {
        if (heartbeat.getState() != WorkerState.LOST || !worker.id().equals(heartbeat.getWorkerId())) {
            return; // another worker's beat or verdict, or this worker's own beat
        }
        Set<String> ended = heartbeat.getSessions().stream().map(WorkerSession::getSessionId).collect(Collectors.toSet());
        var stillRunning = sessions.all().stream().filter(session -> ended.contains(session.sessionId())).toList();
        if (stillRunning.isEmpty()) {
            return;
        }
        LOG.warnf("the call controller declared this worker lost (%s) and ended %d of its sessions; ending them here too: %s",
                heartbeat.getDetail(), stillRunning.size(), stillRunning.stream().map(AgentSession::room).toList());
        Issuer controller = new Issuer(IssuerKind.SYSTEM, heartbeat.getSource(), null, null);
        for (AgentSession session : stillRunning) {
            session.endAnnouncedElsewhere(EndReason.WORKER_LOST, controller, "the call controller declared this worker lost: " + heartbeat.getDetail());
        }
    }
}
