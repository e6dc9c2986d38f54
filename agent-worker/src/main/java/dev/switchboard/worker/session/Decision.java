package dev.switchboard.worker.session;

import dev.switchboard.events.CommandStatus;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** What was decided about a command: its status, and why (a rejection's reason, or a note on an applied one). */
record Decision(CommandStatus status, String reason, boolean answeredElsewhere) {

    Decision(CommandStatus status, String reason) {
        this(status, reason, false);
    }

    /**
     * Handed to another service, whose CommandResult answers the command (a transfer: the call controller reports
     * whether the target took the call); the worker publishes no result of its own.
     */
    static Decision answeredElsewhere(String note) {
        return new Decision(CommandStatus.APPLIED, note, true);
    }

    static Decision applied() {
        return new Decision(CommandStatus.APPLIED, null);
    }

    static Decision applied(String note) {
        return new Decision(CommandStatus.APPLIED, note);
    }

    static Decision rejected(String reason) {
        return new Decision(CommandStatus.REJECTED, reason);
    }

    static Decision expired(String reason) {
        return new Decision(CommandStatus.EXPIRED, reason);
    }

    /** Work queued behind what the agent was saying whose command expired before its turn came: not done. */
    static Decision expiredWhileQueued(Instant expiresAt) {
        return expired("expired at " + expiresAt + " while waiting for the agent to finish speaking; not carried out");
    }

    /** The session takes no commands any more. */
    static Decision notActive(AgentSession.State state) {
        return rejected(AgentSession.whyNotActive(state));
    }

    /** Applying failed: rejected, saying what failed and the root cause's message. */
    static Decision failed(String what, Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return rejected(what + ": " + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
    }

    /** This decision, as the result of a handler that decided at once. */
    CompletableFuture<Decision> asFuture() {
        return CompletableFuture.completedFuture(this);
    }
}
