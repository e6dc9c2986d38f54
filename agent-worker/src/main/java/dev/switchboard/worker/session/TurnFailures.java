package dev.switchboard.worker.session;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Why a turn ended without an answer, for its log line: cut short (barge-in, an Interrupt, the call ending), which
 * is how calls go, or failed (a failing LLM, a bad key), which leaves the caller without an answer and must show.
 */
public final class TurnFailures {
    private TurnFailures() {
    }

    /** The failure itself, not the CompletionException a future wraps it in. */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Whether the turn was cut short rather than failed. */
    public static boolean wasCutShort(Throwable error) {
        Throwable cause = cause(error);
        return cause instanceof CancellationException || cause instanceof SessionNotActiveException;
    }
}
