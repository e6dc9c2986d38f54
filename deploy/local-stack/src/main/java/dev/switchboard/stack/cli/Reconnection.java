package dev.switchboard.stack.cli;

import java.time.Duration;

/**
 * Tail's transcript stream broke off before the call ended: the transcript service restarting (the stack restarts a
 * crashed service), or stopping so that another instance takes over (it ends its streams as it shuts down). The stream
 * is opened again, with what was said meanwhile in its replay, until a reopened stream replays or the limit runs out
 * since the break.
 */
final class Reconnection {
    private final Duration limit;
    private long brokeOffAt;
    private boolean broken;

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
            brokeOffAt = now;
        }
        return now - brokeOffAt < limit.toNanos();
    }

    /** A stream replayed what was said: whether it was a reopened one (the break is over). */
    boolean replayed() {
        boolean was = broken;
        broken = false;
        return was;
    }
}
