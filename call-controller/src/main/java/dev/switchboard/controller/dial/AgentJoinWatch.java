package dev.switchboard.controller.dial;

import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.events.SessionEvents;
import dev.switchboard.controller.hangup.CallLedger;
import dev.switchboard.controller.tenancy.HeartbeatSessionsReader;
import dev.switchboard.controller.tenancy.ReportedSession;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * After a dial was answered, waits for its agent: an agent worker must report a session in the room (its heartbeat,
 * which the worker sends before its SessionStarted) within the agent-join timeout. Without one the callee would hear
 * silence for as long as they stay on the line, so the call is hung up (the room deleted, as a hang-up does) and a
 * CallEnded with reason ERROR says why. A call hung up or reported finished meanwhile is left alone.
 *
 * <p>Any session a worker reports in the room counts, also one that started before the answer (the worker may start
 * its session when the agent is dispatched, before the phone is answered): the callee is not alone with it. When the
 * heartbeat topic cannot be read up to date at the deadline, the call is not hung up blind: the check is repeated, for
 * at most another timeout, then the call is left as it is with a WARN.
 *
 * <p>The watch is this controller instance's, in memory: a controller that stops before the deadline leaves the call
 * unwatched, unless the dial is delivered again (its offset was not committed), whose answer found in LiveKit starts
 * a new watch.
 */
final class AgentJoinWatch {
    private static final Logger LOG = Logger.getLogger(AgentJoinWatch.class);
    /** How often a watch looks at what it already read of the heartbeats, to stop as soon as the agent is there. */
    private static final Duration GLANCE = Duration.ofMillis(500);
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private final Duration timeout;
    private final HeartbeatSessionsReader heartbeats;
    private final CallLedger ledger;
    private final FailedDialCleanup cleanup;
    private final SessionEvents events;
    private final SessionEventPublisher publisher;
    private final MeterRegistry metrics;

    AgentJoinWatch(Duration timeout, HeartbeatSessionsReader heartbeats, CallLedger ledger, FailedDialCleanup cleanup,
                   SessionEvents events, SessionEventPublisher publisher, MeterRegistry metrics) {
        this.timeout = timeout;
        this.heartbeats = heartbeats;
        this.ledger = ledger;
        this.cleanup = cleanup;
        this.events = events;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /** Starts watching the answered dial's room; returns at once. */
    void watch(CallControlRequest request, DialPlan plan) {
        ApplicationThreads.virtual("agent-join-" + plan.commandId()).newThread(() -> {
            try {
                run(request, plan);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                LOG.errorf(e, "room %s: the agent-join watch of dial %s failed", plan.room(), plan.commandId());
            }
        }).start();
    }

    private void run(CallControlRequest request, DialPlan plan) throws InterruptedException {
        String room = plan.room();
        long deadline = System.nanoTime() + timeout.toNanos();
        long giveUp = deadline + timeout.toNanos();
        while (true) {
            if (endedMeanwhile(plan)) {
                count("call-ended");
                return;
            }
            long now = System.nanoTime();
            if (now < deadline) {
                if (!heartbeats.known(room).isEmpty()) {
                    count("joined");
                    return;
                }
                Thread.sleep(Duration.ofNanos(Math.min(GLANCE.toNanos(), deadline - now)));
                continue;
            }
            Optional<List<ReportedSession>> reported = heartbeats.upToDate(room, LOOKUP_TIMEOUT);
            if (reported.isPresent() && !reported.get().isEmpty()) {
                count("joined");
                return;
            }
            if (reported.isPresent()) {
                break;
            }
            if (System.nanoTime() >= giveUp) {
                count("unknown");
                LOG.warnf("room %s: could not learn from the worker heartbeats whether an agent joined the call answered for dial %s;"
                        + " the call is left as it is", room, plan.commandId());
                return;
            }
            Thread.sleep(GLANCE.multipliedBy(2));
        }
        if (endedMeanwhile(plan)) {
            count("call-ended");
            return;
        }
        hangUp(request, plan);
    }

    private void hangUp(CallControlRequest request, DialPlan plan) {
        String done = cleanup.cleanUp(plan, false);
        String detail = "no agent joined within " + timeout.toSeconds() + "s of the answer (no agent worker reported a session in the room):"
                + " check that an agent worker is running, can take LiveKit calls (its readiness, LIVEKIT_URL and its LiveKit credentials)"
                + (plan.agentName().map(name -> " and is registered as agent '" + name + "'").orElse(" and accepts automatic dispatch"))
                + "; the call was hung up (" + done + ")";
        count("hung-up");
        LOG.warnf("room %s: no agent joined within %ss of the answer of dial %s; hung up (%s)", plan.room(), timeout.toSeconds(),
                plan.commandId(), done);
        try {
            publisher.publish(events.agentNeverJoined(request, detail, ledger.current(plan.room())
                    .map(CallLedger.RoomRecord::method).orElse(null)));
        } catch (RuntimeException e) {
            LOG.errorf("room %s: the CallEnded of dial %s, whose agent never joined, could not be published: %s", plan.room(),
                    plan.commandId(), e.getMessage());
        }
    }

    /** A hang-up of the room, or LiveKit's report of it finished, since the dial arrived. */
    private boolean endedMeanwhile(DialPlan plan) {
        return ledger.current(plan.room()).filter(record -> !plan.commandId().equals(record.commandId())).isPresent();
    }

    private void count(String outcome) {
        metrics.counter("switchboard.controller.dial.agent.joins", "outcome", outcome).increment();
    }
}
