package dev.switchboard.worker.concurrent;

import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The worker's timer scheduler (a {@code ScheduledExecutorService} made by {@link WorkerThreads}), as opposed to
 * the one Quarkus offers unqualified. Its tasks must be short: they share one thread.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface Timers {
}
