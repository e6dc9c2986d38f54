package dev.switchboard.controller.hangup;

import dev.switchboard.controller.livekit.LiveKitResult;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Repeats a LiveKit call while it fails transiently, with exponential backoff, until it succeeds, fails for good,
 * or the time budget is spent (then the last transient failure is returned, with how long it was tried).
 * Runs on a virtual thread, so the waits cost no platform thread.
 */
public final class RetryingCaller {
    private static final Logger LOG = Logger.getLogger(RetryingCaller.class);

    private final Backoff backoff;
    private final MeterRegistry metrics;

    public RetryingCaller(Backoff backoff, MeterRegistry metrics) {
        this.backoff = backoff;
        this.metrics = metrics;
    }

    public <T> LiveKitResult<T> call(String operation, String room, Supplier<LiveKitResult<T>> attempt) {
        long start = System.nanoTime();
        int retries = 0;
        while (true) {
            LiveKitResult<T> result = attempt.get();
            if (!(result instanceof LiveKitResult.TransientFailure<T> failure)) {
                return result;
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            Duration delay = backoff.delayBefore(retries + 1);
            if (!backoff.allows(elapsed, delay)) {
                return new LiveKitResult.TransientFailure<>(failure.message() + " (gave up after " + (retries + 1)
                        + " attempts in " + elapsed.toMillis() + " ms)");
            }
            retries++;
            metrics.counter("switchboard.controller.livekit.retries", "operation", operation).increment();
            LOG.infof("room %s: %s failed (%s), retry %d in %d ms", room, operation, failure.message(), retries, delay.toMillis());
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new LiveKitResult.TransientFailure<>(failure.message() + " (interrupted while waiting to retry)");
            }
        }
    }
}
