package dev.switchboard.worker.session;

import dev.switchboard.kit.concurrent.AsyncFailures;

import java.util.concurrent.CancellationException;

/**
 * Why a turn ended without an answer, for its log line: cut short (barge-in, an Interrupt, the call ending), which
 * is how calls go, or failed (a failing LLM, a bad key), which leaves the caller without an answer and must show.
 */
public final class TurnFailures {
    private TurnFailures() {
    }

    /** Whether the turn was cut short rather than failed. */
    public static boolean wasCutShort(Throwable error) {
        Throwable cause = AsyncFailures.cause(error);
        return cause instanceof CancellationException || cause instanceof SessionNotActiveException;
    }
}
