package dev.switchboard.worker.session;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting, on a session's own thread, for Kafka to acknowledge what the session published. */
final class Acknowledgements {
    private Acknowledgements() {
    }

    /** Returns once {@code ack} completed; throws IllegalStateException naming {@code what} when it failed or timed out. */
    static void await(CompletionStage<Void> ack, Duration timeout, String what) {
        try {
            awaitInterruptibly(ack, timeout, what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + what, e);
        }
    }

    /**
     * As {@link #await}, for a caller that knows what an interrupt means to it: only the wait stops, what was handed
     * to the producer may still be published.
     */
    static void awaitInterruptibly(CompletionStage<Void> ack, Duration timeout, String what) throws InterruptedException {
        try {
            ack.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new NotAcknowledgedInTime(what + " was not acknowledged by Kafka within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " was not published: " + e.getMessage(), e);
        }
    }

    /**
     * Kafka did not acknowledge a record in time. Not lost: the producer keeps it and delivers it once the broker answers
     * (until its delivery timeout), so this is an outage to report in a sentence, not a failure with a stack trace.
     */
    static final class NotAcknowledgedInTime extends IllegalStateException {
        NotAcknowledgedInTime(String message) {
            super(message);
        }
    }
}
