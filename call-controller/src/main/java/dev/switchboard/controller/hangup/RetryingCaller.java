package dev.switchboard.controller.hangup;

import dev.switchboard.controller.livekit.LiveKitResult;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Repeats a LiveKit call while it fails transiently, with exponential backoff, until it succeeds, fails for good,
 * or the time budget is spent (then the last transient failure is returned, with how long it was tried).
 * Runs on a virtual thread, so the waits cost no platform thread. Used by the hang-up, and by dials and transfers
 * for what may safely be repeated.
 */
public final class RetryingCaller {
    private static final Logger LOG = Logger.getLogger(RetryingCaller.class);

    /**
     * The last result of a retried call.
     *
     * @param gaveUp the last result was still transient: the budget was spent (or the wait interrupted)
     */
    public record Retried<R>(R last, int attempts, Duration elapsed, boolean gaveUp) {
        /** "(gave up after 3 attempts in 1200 ms)", for reasons and logs. */
        public String giveUpNote() {
            return "(gave up after " + attempts + " attempts in " + elapsed.toMillis() + " ms)";
        }
    }

    private final Backoff backoff;
    private final MeterRegistry metrics;

    public RetryingCaller(Backoff backoff, MeterRegistry metrics) {
        this.backoff = backoff;
        this.metrics = metrics;
    }

    public <T> LiveKitResult<T> call(String operation, String room, Supplier<LiveKitResult<T>> attempt) {
        Retried<LiveKitResult<T>> retried = retry(operation, room, attempt,
                result -> result instanceof LiveKitResult.TransientFailure<T> failure ? failure.message() : null);
        if (retried.gaveUp() && retried.last() instanceof LiveKitResult.TransientFailure<T> failure) {
            return new LiveKitResult.TransientFailure<>(failure.message() + " " + retried.giveUpNote());
        }
        return retried.last();
    }

    /**
     * Repeats {@code attempt} while {@code transientReason} names a reason to (null: the result is final).
     */
    public <R> Retried<R> retry(String operation, String room, Supplier<R> attempt, Function<R, String> transientReason) {
        long start = System.nanoTime();
        int retries = 0;
        while (true) {
            R result = attempt.get();
            String reason = transientReason.apply(result);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            if (reason == null) {
                return new Retried<>(result, retries + 1, elapsed, false);
            }
            Duration delay = backoff.delayBefore(retries + 1);
            if (!backoff.allows(elapsed, delay)) {
                return new Retried<>(result, retries + 1, elapsed, true);
            }
            retries++;
            metrics.counter("switchboard.controller.livekit.retries", "operation", operation).increment();
            LOG.infof("room %s: %s failed (%s), retry %d in %d ms", room, operation, reason, retries, delay.toMillis());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Retried<>(result, retries, elapsed, true);
            }
        }
    }
}
