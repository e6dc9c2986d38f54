package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.worker.concurrent.WorkerThreads;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A call's time limits, so no call runs on forever: at its maximum duration the agent says a closing line and hangs
 * up ({@link EndReason#MAX_DURATION}); when the caller has said nothing for the silence timeout while the agent was
 * quiet, the agent asks once whether they are still there, and after another such silence says goodbye and hangs up
 * ({@link EndReason#SILENCE_TIMEOUT}). Either limit is off when its duration is zero.
 */
final class CallLimits {
    private static final Logger LOG = Logger.getLogger(CallLimits.class);
    private static final Duration CHECK_EVERY = Duration.ofMillis(500);

    /** The limits of one call; a zero duration turns that limit off. */
    record Limits(Duration maxDuration, String closingLine, Duration silenceTimeout, String silencePrompt, String silenceGoodbye) {
        boolean anySet() {
            return !maxDuration.isZero() || !silenceTimeout.isZero();
        }
    }

    /** What the limits act on: the session, seen narrowly. */
    interface Call {
        String room();

        String workerId();

        /** Whether the agent is saying something or about to (a turn, a Say): silence then is not the caller's. */
        boolean agentBusy();

        /**
         * Whether the caller is talking right now (voice activity), before any of their words are recognized: a
         * recognizer answers at the end of an utterance, and a caller talking longer than the timeout is not silent.
         */
        boolean callerSpeaking();

        /** Speaks a line on the agent's queue; it joins the chat context. */
        void say(String line);

        /** Starts hanging up with the line as goodbye; false when the call was already ending. */
        boolean hangUp(String goodbye, EndReason reason, String detail, Issuer issuer);
    }

    private final Call call;
    private final Limits limits;
    private final LongSupplier nanos;
    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();
    private long quietSince; // guarded by this
    private boolean prompted; // guarded by this

    CallLimits(Call call, Limits limits, LongSupplier nanos) {
        this.call = call;
        this.limits = limits;
        this.nanos = nanos;
        this.quietSince = nanos.getAsLong();
    }

    /** Starts watching the call; the timers run on the given scheduler. */
    synchronized void start(ScheduledExecutorService timers) {
        if (!limits.maxDuration().isZero()) {
            scheduled.add(timers.schedule(this::maxDurationReached, limits.maxDuration().toMillis(), TimeUnit.MILLISECONDS));
        }
        if (!limits.silenceTimeout().isZero()) {
            scheduled.add(timers.scheduleWithFixedDelay(this::checkSilence, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    /** The caller's words were heard (an interim or final transcript): the silence starts again, and may be asked about again. */
    synchronized void callerHeard() {
        quietSince = nanos.getAsLong();
        prompted = false;
    }

    /** The call ended: the timers stop. */
    synchronized void stop() {
        scheduled.forEach(future -> future.cancel(false));
        scheduled.clear();
    }

    private void maxDurationReached() {
        stopSilenceWatch();
        String detail = "the call reached its maximum duration of " + describe(limits.maxDuration());
        hangUp(limits.closingLine(), EndReason.MAX_DURATION, detail);
    }

    /** Silence is counted only while both are quiet: a long answer, or the caller talking, is not the caller's silence. */
    private void checkSilence() {
        boolean prompt;
        synchronized (this) {
            long now = nanos.getAsLong();
            if (call.agentBusy() || call.callerSpeaking()) {
                quietSince = now;
                return;
            }
            if (now - quietSince < limits.silenceTimeout().toNanos()) {
                return;
            }
            prompt = !prompted;
            prompted = true;
            quietSince = now;
        }
        if (prompt) {
            LOG.debugf("room %s: the caller has been silent for %s; asking whether they are still there", call.room(),
                    describe(limits.silenceTimeout()));
            call.say(limits.silencePrompt());
        } else {
            stop();
            hangUp(limits.silenceGoodbye(), EndReason.SILENCE_TIMEOUT,
                    "the caller said nothing for " + describe(limits.silenceTimeout()) + " after being asked whether they were still there");
        }
    }

    private synchronized void stopSilenceWatch() {
        scheduled.forEach(future -> future.cancel(false));
    }

    /** Hangs up on a virtual thread: the goodbye is spoken in full first, which the timer thread must not wait for. */
    private void hangUp(String goodbye, EndReason reason, String detail) {
        Issuer system = new Issuer(IssuerKind.SYSTEM, call.workerId(), "call limits", null);
        WorkerThreads.start("limit-" + call.room(), () -> {
            if (call.hangUp(goodbye, reason, detail, system)) {
                LOG.infof("room %s: %s", call.room(), detail);
            }
        });
    }

    private static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
