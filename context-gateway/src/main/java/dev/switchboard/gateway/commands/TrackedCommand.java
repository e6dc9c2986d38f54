package dev.switchboard.gateway.commands;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.kit.auth.Caller;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A command the gateway knows about: one it issued (with issuer, issue time and expiry), one another system or
 * instance sent that it read on the command topics, or one whose result it saw on the results topic before (or
 * without) the command itself. Its decision completes once, the first answer wins.
 */
public final class TrackedCommand {
    /** The type of an immediate hang-up, which goes to the call controller instead of the worker. */
    public static final String HANGUP_TYPE = "HangupRequested";

    private final String commandId;
    private final String room;
    private final String sessionId;
    private final String type;
    private final Issuer issuer;
    private final String tenant;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Instant trackedAt;
    private final String fingerprint;
    /** True while all that is known of it is its result: the command itself may still be read ({@link #withFactsOf}). */
    private final boolean fromResultOnly;
    private final CompletableFuture<Decision> decision;

    private TrackedCommand(String commandId, String room, String sessionId, String type, Issuer issuer, String tenant,
                           Instant issuedAt, Instant expiresAt, Instant trackedAt, String fingerprint) {
        this(commandId, room, sessionId, type, issuer, tenant, issuedAt, expiresAt, trackedAt, fingerprint, false,
                new CompletableFuture<>());
    }

    private TrackedCommand(String commandId, String room, String sessionId, String type, Issuer issuer, String tenant,
                           Instant issuedAt, Instant expiresAt, Instant trackedAt, String fingerprint,
                           boolean fromResultOnly, CompletableFuture<Decision> decision) {
        this.commandId = commandId;
        this.room = room;
        this.sessionId = sessionId;
        this.type = type;
        this.issuer = issuer;
        this.tenant = Caller.tenantOrDefault(tenant);
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.trackedAt = trackedAt;
        this.fingerprint = fingerprint;
        this.fromResultOnly = fromResultOnly;
        this.decision = decision;
    }

    public static TrackedCommand issued(SessionCommand command, String sessionId, Instant now) {
        return issued(command, sessionId, now, null);
    }

    /** @param fingerprint what the request asked for ({@link RequestFingerprint}): a retry with its key must ask the same */
    public static TrackedCommand issued(SessionCommand command, String sessionId, Instant now, String fingerprint) {
        return new TrackedCommand(command.getCommandId(), command.getRoom(), sessionId, typeOf(command.getPayload()),
                command.getIssuer(), command.getTenant(), command.getIssuedAt(), command.getExpiresAt(), now, fingerprint);
    }

    public static TrackedCommand issued(CallControlRequest request, String sessionId, Instant now) {
        return issued(request, sessionId, now, null);
    }

    /** @param fingerprint what the request asked for ({@link RequestFingerprint}): a retry with its key must ask the same */
    public static TrackedCommand issued(CallControlRequest request, String sessionId, Instant now, String fingerprint) {
        return new TrackedCommand(request.getCommandId(), request.getRoom(), sessionId, typeOf(request.getPayload()),
                request.getIssuer(), request.getTenant(), request.getIssuedAt(), request.getExpiresAt(), now, fingerprint);
    }

    /**
     * A command another gateway instance or another system sent, read from the command topics: known while it is
     * pending, with what it asked for, so a retry here with its Idempotency-Key is answered with it.
     *
     * @param sessionId the room's session as this instance knows it (null when the room has none)
     * @param tenant    the tenant of that session, or the one the command names when there is none
     */
    public static TrackedCommand seen(SessionCommand command, String sessionId, String tenant, Instant now) {
        return new TrackedCommand(command.getCommandId(), command.getRoom(), sessionId, typeOf(command.getPayload()),
                command.getIssuer(), tenant, command.getIssuedAt(), command.getExpiresAt(), now, RequestFingerprint.of(command.getPayload()));
    }

    /** A command issued elsewhere, known only from its result (who sent it and what it asked for are not known yet). */
    public static TrackedCommand observed(CommandResult result, Instant now) {
        return new TrackedCommand(result.getCommandId(), result.getRoom(), result.getSessionId(), result.getCommandType(),
                null, result.getTenant(), null, null, now, null, true, new CompletableFuture<>());
    }

    /**
     * This command, known from its result, with what the command itself says (read later: the results and the commands
     * are read by different consumers, each at its own pace). It keeps this one's decision, shared, so it is never
     * pending again, and this one's trackedAt, so the store's oldest-first order stays true. The session named by
     * the result stays when it names one: it is the worker's word, the other only the registry's guess.
     */
    TrackedCommand withFactsOf(TrackedCommand seen) {
        return new TrackedCommand(commandId, room, sessionId != null ? sessionId : seen.sessionId, seen.type, seen.issuer,
                seen.tenant, seen.issuedAt, seen.expiresAt, trackedAt, seen.fingerprint, false, decision);
    }

    /** Whether all that is known of it is its result (the command itself was not read, or not yet). */
    public boolean isFromResultOnly() {
        return fromResultOnly;
    }

    /** The payload's record name, which is also what CommandResult.commandType carries. */
    public static String typeOf(Object payload) {
        return payload.getClass().getSimpleName();
    }

    /** Records the decision; false when the command was already decided (the first answer stands). */
    boolean decide(Decision outcome) {
        return decision.complete(outcome);
    }

    public Optional<Decision> decision() {
        return Optional.ofNullable(decision.getNow(null));
    }

    public boolean isDecided() {
        return decision.isDone();
    }

    /** Completes with the decision. A fresh stage per caller, so a caller that stops waiting cancels nothing shared. */
    public CompletionStage<Decision> whenDecided() {
        return decision.thenApply(d -> d);
    }

    public String commandId() {
        return commandId;
    }

    public String room() {
        return room;
    }

    public String sessionId() {
        return sessionId;
    }

    /**
     * The session the command was for: the one its result names (the worker's or call controller's word) once decided
     * with one, else the one it was sent to (null when it named none, as a ringing dial's cancellation).
     */
    public String knownSessionId() {
        Decision decided = decision.getNow(null);
        return decided != null && decided.sessionId() != null ? decided.sessionId() : sessionId;
    }

    /** Whether the command was for that session (false for a null one). */
    boolean belongsTo(String session) {
        return session != null && session.equals(knownSessionId());
    }

    /** Whether it was sent (else first seen) from {@code from} (null: any time) and before {@code until} (null: any time). */
    boolean sentBetween(Instant from, Instant until) {
        Instant sent = issuedAt != null ? issuedAt : trackedAt;
        return (from == null || !sent.isBefore(from)) && (until == null || sent.isBefore(until));
    }

    public String type() {
        return type;
    }

    public Issuer issuer() {
        return issuer;
    }

    /** The tenant of the session the command is for ("default" when its envelope names none). */
    public String tenant() {
        return tenant;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    /** What the request asked for ({@link RequestFingerprint}); null for a command known only from its result. */
    public String fingerprint() {
        return fingerprint;
    }

    Instant trackedAt() {
        return trackedAt;
    }

    public boolean isHangup() {
        return HANGUP_TYPE.equals(type);
    }
}
