package dev.switchboard.controller.hangup;

import java.time.Duration;

/** Exponential backoff within a time budget: initial, 2 x initial, 4 x initial ... capped at max. */
public record Backoff(Duration initialDelay, Duration maxDelay, Duration budget) {

    public static Backoff of(HangupSettings.Retry retry) {
        return new Backoff(retry.initialDelay(), retry.maxDelay(), retry.budget());
    }

    /** The wait before retry number {@code retry} (1 for the first retry). */
    public Duration delayBefore(int retry) {
        long initial = Math.max(1, initialDelay.toMillis());
        int doublings = Math.min(retry - 1, 30);
        long delay = initial << doublings;
        return Duration.ofMillis(Math.min(delay, maxDelay.toMillis()));
    }

    /** Whether a retry that would start {@code delay} from now still fits the budget, {@code elapsed} after the start. */
    public boolean allows(Duration elapsed, Duration delay) {
        return elapsed.plus(delay).compareTo(budget) <= 0;
    }
}
