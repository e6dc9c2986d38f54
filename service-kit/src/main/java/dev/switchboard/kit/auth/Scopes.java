package dev.switchboard.kit.auth;

import java.util.List;

/** The scopes a token may carry, and what each allows (the README's Security section has the table). */
public final class Scopes {
    /** List sessions, read a command's status. */
    public static final String CALLS_READ = "calls:read";
    /** Inject context, say, interrupt, change instructions, hang up. */
    public static final String CALLS_CONTROL = "calls:control";
    /** Place and transfer calls. */
    public static final String CALLS_DIAL = "calls:dial";
    /** The agent worker's simulated-call API. */
    public static final String CALLS_SIMULATE = "calls:simulate";
    /** Fetch, export, search and stream transcripts. */
    public static final String TRANSCRIPTS_READ = "transcripts:read";
    /** Delete a session's transcript. */
    public static final String TRANSCRIPTS_DELETE = "transcripts:delete";
    /** Read the audit trail. */
    public static final String AUDIT_READ = "audit:read";
    /** An operator's scope: every tenant's things, not only the token's own tenant's. */
    public static final String TENANTS_ALL = "tenants:all";

    /** Every scope, in the order the documentation lists them. */
    public static final List<String> ALL = List.of(CALLS_READ, CALLS_CONTROL, CALLS_DIAL, CALLS_SIMULATE, TRANSCRIPTS_READ,
            TRANSCRIPTS_DELETE, AUDIT_READ, TENANTS_ALL);

    private Scopes() {
    }
}
