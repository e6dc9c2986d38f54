package dev.switchboard.stack;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * When the stack restarts a service that died: after a delay that doubles with each recent restart (so a service
 * that cannot start does not spin), and at most {@code limit} times within {@code window}; one more death within
 * the window stops the stack. A service that stayed up longer than the window starts again with a clean slate.
 *
 * @param limit          restarts allowed within the window; 0 stops the stack at the first death
 * @param window         how long a restart counts against the limit
 * @param initialBackoff the delay before the first restart in a window
 * @param maxBackoff     the longest delay
 */
public record RestartPolicy(int limit, Duration window, Duration initialBackoff, Duration maxBackoff) {
    /** Five restarts in ten minutes, 1 s, 2 s, 4 s, 8 s, 16 s apart. */
    public static final RestartPolicy DEFAULT = new RestartPolicy(5, Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofSeconds(30));

    public RestartPolicy {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
    }

    public RestartPolicy withLimit(int newLimit) {
        return new RestartPolicy(newLimit, window, initialBackoff, maxBackoff);
    }

    /**
     * The delay before the next restart, or empty when the limit is used up.
     *
     * @param earlierRestarts when the service was restarted before, oldest first
     */
    public Optional<Duration> nextDelay(List<Instant> earlierRestarts, Instant now) {
        int recent = recentRestarts(earlierRestarts, now);
        if (recent >= limit) {
            return Optional.empty();
        }
        long factor = 1L << Math.min(recent, 20);
        Duration delay = initialBackoff.multipliedBy(factor);
        return Optional.of(delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay);
    }

    /** How many of the earlier restarts fall within the window before {@code now}. */
    public int recentRestarts(List<Instant> earlierRestarts, Instant now) {
        Instant since = now.minus(window);
        return (int) earlierRestarts.stream().filter(at -> at.isAfter(since)).count();
    }

    /** "5 restarts within 10 min", for messages. */
    public String describe() {
        return limit + (limit == 1 ? " restart" : " restarts") + " within " + Durations.describe(window);
    }
}
