package dev.switchboard.kit.problem;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which answers of a dependency outage (503: Kafka or the database down) are logged at WARN: the first of each
 * kind, then at most one every {@link #INTERVAL}, saying how many were answered the same way in between (those are
 * logged at DEBUG). While Kafka is down every request fails the same way: one line per request would flood the log
 * with the same news, thousands of times a minute.
 */
final class OutageLog {
    static final Duration INTERVAL = Duration.ofSeconds(30);

    private final InstantSource clock;
    private final Map<ProblemType, Window> windows = new ConcurrentHashMap<>();

    /** When the last WARN line of a kind was written, and how many answers of that kind were not logged since. */
    private record Window(Instant warnedAt, long quiet) {
    }

    OutageLog(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * Whether this answer is logged at WARN: if so, how many answers of its kind were not since the last WARN line
     * (0 for the first); empty: log it at DEBUG.
     */
    OptionalLong warn(ProblemType type) {
        Instant now = clock.instant();
        long[] quietBefore = {-1};
        windows.compute(type, (kind, window) -> {
            if (window == null || !now.isBefore(window.warnedAt().plus(INTERVAL))) {
                quietBefore[0] = window == null ? 0 : window.quiet();
                return new Window(now, 0);
            }
            return new Window(window.warnedAt(), window.quiet() + 1);
        });
        return quietBefore[0] < 0 ? OptionalLong.empty() : OptionalLong.of(quietBefore[0]);
    }
}
