package dev.switchboard.worker.concurrent;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The clock and the timers the worker's beans inject, rather than make: one place decides them (and tests can
 * pass their own to what they build by hand).
 */
@Singleton
public class WorkerTime {

    @Produces
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Produces
    @Singleton
    @Timers
    ScheduledExecutorService timers() {
        return WorkerThreads.scheduler("worker-timers");
    }

    void stopTimers(@Disposes @Timers ScheduledExecutorService timers) {
        timers.shutdownNow();
    }
}
