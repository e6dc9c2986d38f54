package dev.switchboard.stack;

import java.time.Duration;
import java.util.function.Supplier;

/** Polling for the end-to-end tests: a condition about the running stack, checked every 200 ms until it holds. */
final class Waits {
    private Waits() {
    }

    /** Returns once {@code condition} holds; fails after {@code wait}, saying where the services' logs are. */
    static void until(Duration wait, String logs, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + wait + "; the services' logs are in " + logs);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
