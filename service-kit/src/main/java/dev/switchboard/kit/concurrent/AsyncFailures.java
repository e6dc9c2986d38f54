package dev.switchboard.kit.concurrent;

import java.util.concurrent.CompletionException;

/** Failures that reach a future's callback, as the code that logs or answers them needs to see them. */
public final class AsyncFailures {
    private AsyncFailures() {
    }

    /**
     * The failure itself, not the CompletionException a dependent future wraps it in: a log line or a problem should
     * name what went wrong (a timeout, a broker's refusal), not the wrapper.
     */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
