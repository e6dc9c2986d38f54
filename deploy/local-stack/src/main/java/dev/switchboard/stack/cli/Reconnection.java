package dev.switchboard.stack.cli;

import java.time.Duration;

/**
 * Tail's transcript stream broke off before the call ended: the transcript service restarting (the stack restarts a
 * crashed service), or stopping so that another instance takes over (it ends its streams as it shuts down). The stream
 * is opened again, with what was said meanwhile in its replay, until the limit runs out since the break. A stream that
 * breaks again soon after it was reopened (within {@link #HELD}) is the same break going on, so a service that keeps
 * dropping its streams cannot keep tail reconnecting for ever; one that held for longer was a break of its own.
 */
final class Reconnection {
    static final Duration HELD = Duration.ofSeconds(10);

    private final Duration limit;
    private long brokeOffAt;
    private long reopenedAt;
    private boolean broken;
    private boolean everBroken;

    Reconnection(Duration limit) {
        this.limit = limit;
    }

    /** Whether the stream is broken off and being opened again. */
    boolean active() {
        return broken;
    }

    /** The stream broke off, or could not be opened again: whether to try (once more). */
    boolean brokeOff() {
        long now = System.nanoTime();
        if (!broken) {
            broken = true;
            if (!everBroken || now - reopenedAt >= HELD.toNanos()) {
                brokeOffAt = now;
            }
            everBroken = true;
        }
        return now - brokeOffAt < limit.toNanos();
    }

    /** A stream replayed what was said: whether it was a reopened one (the break is over, for now). */
    boolean replayed() {
        boolean was = broken;
        broken = false;
        reopenedAt = System.nanoTime();
        return was;
    }
}
