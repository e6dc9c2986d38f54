package dev.switchboard.controller.workers;

import dev.switchboard.controller.control.CallControlRouter;
import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.outcome.ControlOutcome;
import dev.switchboard.controller.support.HeartbeatTopicProbe;
import dev.switchboard.controller.tenancy.HeartbeatSessionsReader;
import dev.switchboard.controller.tenancy.ReportedSession;
import dev.switchboard.controller.workers.WorkerLossSettings.OrphanRooms;
import dev.switchboard.controller.workers.WorkerWatch.Watched;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.kit.kafka.KafkaSender;
import dev.switchboard.kit.kafka.KafkaSenders;
import dev.switchboard.schemas.topics.Topic;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Ends the sessions of agent workers that fell silent. Every {@link WorkerLossSettings#checkEvery()} it looks for
 * watched workers silent for longer than {@link WorkerLossSettings#lostAfter()}; for each, in this order: a
 * SessionEnded WORKER_LOST per session the worker held (the gateway stops listing them, commands to them are answered
 * UNKNOWN_SESSION, the transcript keeps its lines and gets its end), the orphan-room policy (leave, or hang up), and the
 * verdict LOST on the heartbeat topic, which tells every controller, this one after a restart included, that the
 * worker is dealt with. If anything fails the worker stays watched and the next check does it again, with the same
 * derived ids.
 *
 * <p>A heartbeat proves nothing about who runs a session: anyone who may write to the heartbeat topic can list another
 * worker's session under a made-up worker id and fall silent. So a session the lost worker listed is ended only if no
 * other worker still beating (read within {@link WorkerLossSettings#lostAfter()}, neither STOPPED nor declared LOST)
 * reports the same session id: such a claim is ignored, with a WARN naming both workers. The session ids are random
 * UUIDs, so two workers reporting one is never a hand-over: one of them is wrong, and only the one still beating shows
 * that it runs it. Whatever the rooms: a session's transcript is found by its id alone. What the other workers report
 * is read up to date ({@link HeartbeatSessionsReader}); when it cannot be, nothing is ended this round.
 */
@ApplicationScoped
@Startup
public class WorkerLossMonitor {
    private static final Logger LOG = Logger.getLogger(WorkerLossMonitor.class);
    /** How long a round waits to learn what the other workers report; longer means the broker or the reader is in trouble. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final WorkerWatch watch;
    private final WorkerLostRecords records;
    private final SessionEventPublisher sessionEvents;
    private final KafkaSender<WorkerHeartbeat> verdicts;
    private final CallControlRouter router;
    private final WorkerLossSettings settings;
    private final MeterRegistry metrics;
    private final Clock clock;
    private final HeartbeatTopicProbe topic;
    private final HeartbeatSessionsReader reported;
    private final ScheduledExecutorService checker;
    /** Since when this controller hears the heartbeat topic without a break: no silence before it counts. */
    private Instant listening; // only the checker thread touches it
    private boolean brokerAway; // likewise
    private volatile boolean stopping;

    WorkerLossMonitor(WorkerWatch watch, WorkerLostRecords records, SessionEventPublisher sessionEvents,
                      @Channel("worker-heartbeats-out") MutinyEmitter<Record<String, WorkerHeartbeat>> verdicts, KafkaSenders senders,
                      CallControlRouter router, WorkerLossSettings settings, MeterRegistry metrics, Clock clock,
                      HeartbeatTopicProbe topic, HeartbeatSessionsReader reported) {
        this.watch = watch;
        this.records = records;
        this.sessionEvents = sessionEvents;
        this.verdicts = senders.of(verdicts, "worker verdict");
        this.router = router;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.topic = topic;
        this.reported = reported;
        this.listening = clock.instant();
        metrics.gauge("switchboard.controller.workers.watched", watch, WorkerWatch::watched);
        this.checker = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("worker-loss"));
        long every = settings.checkEvery().toMillis();
        checker.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.MILLISECONDS);
    }

    /** A round that throws would end the schedule: nothing may escape it. */
    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.errorf(e, "the check for lost agent workers failed; it runs again in %d ms", settings.checkEvery().toMillis());
        }
    }

    /**
     * One round: every worker silent for too long is dealt with; a failure leaves it for the next round. While the
     * broker does not answer nobody is declared lost (no beat can arrive then, from the living either), and once it
     * answers again every worker gets a full window to be heard.
     */
    void check() {
        Optional<Map<Integer, Long>> endOffsets = topic.endOffsets(Topic.WORKER_HEARTBEATS.partitions());
        Instant now = clock.instant();
        if (endOffsets.isEmpty()) {
            if (stopping) {
                return; // the clients were closed by the shutdown, not lost by the broker
            }
            if (!brokerAway) {
                LOG.warnf("Kafka does not answer: no agent worker is declared lost until it does (%d watched)", watch.watched());
                brokerAway = true;
            }
            return;
        }
        if (brokerAway) {
            LOG.infof("Kafka answers again: every agent worker has %d ms from now to be heard", settings.lostAfter().toMillis());
            brokerAway = false;
            listening = now;
        }
        for (Watched lost : watch.lost(settings.lostAfter(), now, listening, endOffsets.get())) {
            try {
                workerLost(lost, lost.silentFor(now, listening));
            } catch (RuntimeException e) {
                LOG.warnf("agent worker %s is lost, but its sessions could not all be ended yet (trying again): %s",
                        lost.beat().getWorkerId(), e.getMessage());
            }
        }
    }

    private void workerLost(Watched lost, Duration silence) {
        WorkerHeartbeat last = lost.beat();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<ReportedSession> beating = othersBeating(last.getWorkerId());
        List<WorkerSession> sessions = last.getSessions().stream().filter(s -> !claimedByAnother(last, s, beating)).toList();
        LOG.warnf("agent worker %s silent for %d ms: ending its %d session(s) as WORKER_LOST (orphaned rooms: %s)",
                last.getWorkerId(), silence.toMillis(), sessions.size(), settings.orphanRooms());
        for (WorkerSession session : sessions) {
            sessionEvents.publish(records.sessionEnded(last, session, now));
        }
        if (settings.orphanRooms() == OrphanRooms.HANGUP) {
            sessions.stream().filter(s -> s.getTransport() != Transport.SIMULATED).filter(s -> !roomHeldByAnother(last, s, beating))
                    .forEach(s -> hangUp(last, s, now));
        }
        verdicts.sendAndAwait(last.getWorkerId(), records.verdict(last, sessions, now));
        watch.settled(lost);
        metrics.counter("switchboard.controller.workers.lost").increment();
        metrics.counter("switchboard.controller.sessions.worker.lost").increment(sessions.size());
    }

    /** The sessions every other worker still beating reports; throws (the round is tried again) when they cannot be learnt. */
    private List<ReportedSession> othersBeating(String lostWorkerId) {
        return reported.beatingUpToDate(settings.lostAfter(), READ_TIMEOUT)
                .orElseThrow(() -> new IllegalStateException("the sessions of the other agent workers could not be read up to date within "
                        + READ_TIMEOUT.toSeconds() + " s, so none is ended blind"))
                .stream().filter(s -> !s.workerId().equals(lostWorkerId)).toList();
    }

    /** Another worker still beating reports this session id: the lost worker's claim to it is ignored (counted, one WARN). */
    private boolean claimedByAnother(WorkerHeartbeat last, WorkerSession session, List<ReportedSession> beating) {
        Optional<ReportedSession> holder = beating.stream().filter(s -> s.sessionId().equals(session.getSessionId())).findFirst();
        holder.ifPresent(other -> {
            LOG.warnf("lost agent worker %s listed session %s (room %s), which agent worker %s still reports running (room %s):"
                            + " the claim is ignored, the session is neither ended nor hung up (a forged or stale heartbeat)",
                    last.getWorkerId(), session.getSessionId(), session.getRoom(), other.workerId(), other.room());
            metrics.counter("switchboard.controller.sessions.worker.lost.ignored").increment();
        });
        return holder.isPresent();
    }

    /**
     * Another worker still beating reports a session of its own in this session's room. Whose the room is cannot be told
     * from heartbeats alone (a hand-over, or a forged claim to a room in use), and a hang-up ends the call for everyone
     * in the room, so the room is not hung up: hanging up needs evidence that it is orphaned, and a worker beating in it
     * is evidence of the contrary. The lost worker's session itself is still ended: its SessionEnded names its own
     * session id, which consumers tell apart from the other worker's running session in the room.
     */
    private boolean roomHeldByAnother(WorkerHeartbeat last, WorkerSession session, List<ReportedSession> beating) {
        Optional<ReportedSession> holder = beating.stream().filter(s -> s.room().equals(session.getRoom())).findFirst();
        holder.ifPresent(other -> LOG.warnf("room %s of lost agent worker %s: not hung up, agent worker %s still reports session %s there",
                session.getRoom(), last.getWorkerId(), other.workerId(), other.sessionId()));
        return holder.isPresent();
    }

    /** A room whose hang-up fails is reported and left: the sessions are ended either way. */
    private void hangUp(WorkerHeartbeat last, WorkerSession session, Instant now) {
        ControlOutcome outcome = router.submit(records.hangup(last, session, now)).join();
        if (outcome instanceof ControlOutcome.Refused refused) {
            LOG.errorf("room %s of lost worker %s: not hung up: %s", session.getRoom(), last.getWorkerId(), refused.reason());
        }
    }

    /**
     * Shutdown begins: no more rounds. The Kafka clients the rounds use close during shutdown, and a round that found them
     * closed would say that Kafka does not answer.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        stopping = true;
        checker.shutdownNow();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        checker.shutdownNow();
    }
}
