package dev.switchboard.stack.cli;

import java.io.PrintStream;
import java.time.Duration;

/**
 * What {@code tail} says on standard error once the lines said so far are shown: that it follows the call live, or that
 * the call had already ended. The stream's "replayed" event does not tell the two apart: for a call that is over, the
 * transcript service sends "end" right after it. So the note waits a moment after "replayed" and is shown then, or at
 * once when a live line comes first; an "end" within the moment says the call had ended instead.
 */
final class LiveNote {
    /** Far longer than "end" takes to follow "replayed" from the service, short enough to go unnoticed. */
    static final Duration DELAY = Duration.ofMillis(500);
    static final String FOLLOWING = "(following the call live; Ctrl-C stops)";
    static final String ALREADY_ENDED = "(the call had already ended; nothing more to follow)";

    private final PrintStream err;
    private final Duration delay;
    /** Replayed, and neither note said yet. */
    private boolean due;
    private Thread timer;

    LiveNote(PrintStream err, Duration delay) {
        this.err = err;
        this.delay = delay;
    }

    /** The "replayed" event: the note is due, and said after the delay unless something comes first. */
    synchronized void replayed() {
        if (timer != null) {
            return;
        }
        due = true;
        timer = Thread.ofVirtual().name("tail-live-note").start(() -> {
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                return;
            }
            live();
        });
    }

    /** An event that shows the call is still on (a new line): the call is followed live, said now if not yet. */
    synchronized void live() {
        say(FOLLOWING);
    }

    /** The "end" event: when the note is still due, the call had ended before the stream went live. */
    synchronized void ended() {
        say(ALREADY_ENDED);
    }

    /**
     * The "end" event of a call in which nothing was said, which may be a dial that failed: the note waits, neither said
     * by the timer nor given up, until {@link #ended} says it or {@link #close} drops it.
     */
    synchronized void holdBack() {
        if (timer != null) {
            timer.interrupt();
        }
    }

    /** The tail is over: nothing more is said, however it ended. */
    synchronized void close() {
        due = false;
        if (timer != null) {
            timer.interrupt();
        }
    }

    private void say(String note) {
        if (due) {
            due = false;
            err.println(note);
            err.flush();
        }
    }
}
