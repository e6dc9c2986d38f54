package dev.switchboard.gateway.config;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** One timer thread for the watchdog's deadlines and the housekeeping; its tasks are short and never block. */
@Singleton
public class GatewayTimers {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            ApplicationThreads.platformDaemon("gateway-timer"));

    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        return timer.schedule(task, nanos(delay), TimeUnit.NANOSECONDS);
    }

    /**
     * The delay in nanoseconds, none when negative; one beyond what a long holds (292 years: a token's "never expires"
     * exp of 9999-12-31) is the longest the timer takes, which comes to the same.
     */
    static long nanos(Duration delay) {
        if (delay.isNegative()) {
            return 0;
        }
        try {
            return delay.toNanos();
        } catch (ArithmeticException beyondALong) {
            return Long.MAX_VALUE;
        }
    }

    public ScheduledFuture<?> every(Duration period, Runnable task) {
        return timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
