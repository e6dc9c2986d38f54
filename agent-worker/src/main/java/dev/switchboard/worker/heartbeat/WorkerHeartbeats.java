package dev.switchboard.worker.heartbeat;

import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.worker.concurrent.Timers;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.AgentSettings;
import dev.switchboard.worker.session.SessionRegistry;
import dev.switchboard.worker.session.SessionsChanged;
import dev.switchboard.worker.session.WorkerIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Tells the call controller, every {@link HeartbeatSettings#interval()} and at once when a session starts or ends, that
 * this worker is alive and which sessions it runs (switchboard.worker-heartbeats, key = worker id). A worker that stops
 * beating is declared lost and its sessions are ended by the controller (WORKER_LOST). So a graceful stop is said out
 * loud: DRAINING while running calls finish (the beats go on), then STOPPED once every session has ended, and the
 * controller lets the worker go.
 */
@ApplicationScoped
@Startup // beats from the start: a call must not be the first to need it
public class WorkerHeartbeats {
    private static final Logger LOG = Logger.getLogger(WorkerHeartbeats.class);
    private static final String SOURCE = "agent-worker";

    private final KafkaSender<WorkerHeartbeat> sender;
    private final SessionRegistry sessions;
    private final WorkerIdentity worker;
    private final AgentSettings agent;
    private final HeartbeatSettings settings;
    private final Clock clock;
    private final ScheduledFuture<?> beating;
    private WorkerState state = WorkerState.RUNNING; // guarded by this; the records of one worker go out in this order

    WorkerHeartbeats(@Channel("worker-heartbeats") MutinyEmitter<Record<String, WorkerHeartbeat>> emitter, KafkaSenders senders,
                     SessionRegistry sessions, WorkerIdentity worker, AgentSettings agent, HeartbeatSettings settings, Clock clock,
                     @Timers ScheduledExecutorService timers) {
        this.sender = senders.of(emitter, "worker heartbeat");
        this.sessions = sessions;
        this.worker = worker;
        this.agent = agent;
        this.settings = settings;
        this.clock = clock;
        long every = settings.interval().toMillis();
        this.beating = timers.scheduleAtFixedRate(this::beat, 0, every, TimeUnit.MILLISECONDS);
    }

    /** The beat as of now: the state and every session still in the registry. */
    WorkerHeartbeat current(WorkerState now) {
        List<WorkerSession> running = sessions.all().stream().map(WorkerHeartbeats::describe).toList();
        return WorkerHeartbeat.newBuilder()
                .setWorkerId(worker.id())
                .setState(now)
                .setSentAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setSource(SOURCE)
                .setIntervalMs((int) settings.interval().toMillis())
                .setAgentName(agent.name())
                .setSessions(running)
                .setDetail(null)
                .build();
    }

    private static WorkerSession describe(AgentSession session) {
        return WorkerSession.newBuilder()
                .setRoom(session.room())
                .setSessionId(session.sessionId())
                .setTransport(session.transport().kind())
                .setStartedAt(session.identity().startedAt())
                .setTenant(session.tenant())
                .build();
    }

    /** On the timer thread: sent without waiting (a slow broker must not hold up the other timers); failures are logged. */
    private synchronized void beat() {
        if (state == WorkerState.STOPPED) {
            return; // a beat after the goodbye would bring the worker back to life in the controller's eyes
        }
        WorkerHeartbeat heartbeat = current(state);
        sender.sendAsync(worker.id(), heartbeat).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.warnf("heartbeat not published (the controller ends this worker's sessions if it hears none for long): %s",
                        error.getMessage());
            }
        });
    }

    /**
     * A session started or ended: beat now. The controller learns a room's tenant from the beats, and refuses requests of
     * another tenant for it only once it knows; waiting for the next interval would leave a new call unfenced for seconds.
     */
    void onSessionsChanged(@Observes SessionsChanged change) {
        try {
            beat();
        } catch (RuntimeException e) {
            // Never fail the session's start over it: the next interval's beat tells the same.
            LOG.warnf("heartbeat for room %s not sent at once: %s", change.room(), e.getMessage());
        }
    }

    /** First of the shutdown observers: running calls may take minutes to finish, and the worker says so. */
    void onDraining(@Observes @Priority(0) ShutdownEvent event) {
        synchronized (this) {
            state = WorkerState.DRAINING;
        }
        beat();
    }

    /** After the sessions ended (they observe shutdown earlier): the last beat says goodbye, so nothing is declared lost. */
    synchronized void onStopped(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 1000) ShutdownEvent event) {
        beating.cancel(false);
        state = WorkerState.STOPPED;
        try {
            sender.sendAndAwait(worker.id(), current(WorkerState.STOPPED));
            LOG.infof("worker %s stopped; told the call controller", worker.id());
        } catch (RuntimeException e) {
            LOG.warnf("the stopping heartbeat was not published; the call controller will report this worker's sessions lost: %s",
                    e.getMessage());
        }
    }
}
