package dev.switchboard.kit.auth;

import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import jakarta.enterprise.context.RequestScoped;

import java.time.Instant;

/** The caller of the request being handled, set by {@link BearerAuthentication} before any resource runs. */
@RequestScoped
public class CurrentCaller {
    private Caller caller;
    private Instant expiresAt;

    void set(Caller caller, Instant expiresAt) {
        this.caller = caller;
        this.expiresAt = expiresAt;
    }

    /** The request's caller; a resource that is not open always has one. */
    public Caller get() {
        if (caller == null) {
            // Only a resource marked @PermitAll can get here, and it has no business asking.
            throw new ProblemException(ProblemType.of(401), "this request carries no verified bearer token");
        }
        return caller;
    }

    /** When the request's token expires: a stream it opened ends then (see {@code SseStream}). */
    public Instant expiresAt() {
        get();
        return expiresAt;
    }

    /** Whether the caller may see or touch something of this tenant; 404 is what the resource answers otherwise. */
    public boolean mayAccess(String tenant) {
        return get().mayAccess(tenant);
    }
}
