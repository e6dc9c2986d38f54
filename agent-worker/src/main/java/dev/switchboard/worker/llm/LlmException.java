package dev.switchboard.worker.llm;

/** The model could not answer: unreachable, an HTTP error, or a reply we cannot parse. */
public final class LlmException extends RuntimeException {
    private final boolean retryable;

    public LlmException(String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.retryable = retryable;
    }

    public LlmException(String message, boolean retryable) {
        this(message, retryable, null);
    }

    /** Whether trying again may help (connection failure, 429, 5xx), as opposed to a bad request or bad key. */
    public boolean retryable() {
        return retryable;
    }
}
