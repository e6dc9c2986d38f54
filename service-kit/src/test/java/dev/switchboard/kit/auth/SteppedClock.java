package dev.switchboard.kit.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** A clock a test moves forward: stopped at an instant, or running with the system's and moved ahead by what was skipped. */
final class SteppedClock extends Clock {
    private final Supplier<Instant> base;
    private final AtomicReference<Duration> skipped = new AtomicReference<>(Duration.ZERO);

    private SteppedClock(Supplier<Instant> base) {
        this.base = base;
    }

    /** Stands still at the instant until a test moves it. */
    static SteppedClock stoppedAt(Instant instant) {
        return new SteppedClock(() -> instant);
    }

    /** Runs with the system clock, ahead of it by what a test skipped. */
    static SteppedClock running() {
        return new SteppedClock(Instant::now);
    }

    void skip(Duration duration) {
        skipped.accumulateAndGet(duration, Duration::plus);
    }

    @Override
    public Instant instant() {
        return base.get().plus(skipped.get());
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
