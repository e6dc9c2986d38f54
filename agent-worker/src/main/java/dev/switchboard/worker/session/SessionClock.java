package dev.switchboard.worker.session;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** A session's time: offsets since it started (the time base of its transcript) and wall-clock instants. */
final class SessionClock {
    private final Clock clock;
    private final long startNanos = System.nanoTime();

    SessionClock(Clock clock) {
        this.clock = clock;
    }

    /** Milliseconds since the session started. */
    long elapsedMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    Instant now() {
        return clock.instant();
    }

    /** Now, at the millisecond precision the records carry. */
    Instant timestamp() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
