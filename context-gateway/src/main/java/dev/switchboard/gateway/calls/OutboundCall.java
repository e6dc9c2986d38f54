package dev.switchboard.gateway.calls;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.EndReason;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest outbound call of a room. Immutable: {@link OutboundCalls} replaces it on every change.
 *
 * @param commandId   the DialRequested's commandId (null when only the events named the call and none said it)
 * @param to          the number or SIP URI dialled
 * @param from        the caller id: the dial's, else the one its outcome names (the call controller's default applied);
 *                    null when the trunk's own number is used or it is not known
 * @param sessionId   the agent's session once it started
 * @param answeredBy  who answered, once known (answering-machine detection); UNKNOWN otherwise
 * @param failure     set when FAILED
 * @param endReason   set when ENDED
 * @param tenant      whose call it is: the token's (or the DialRequested's) that placed it, else the tenant its outcome event
 *                    names, else its session's; null until known (counts as 'default')
 * @param fingerprint what the dial asked for ({@code RequestFingerprint}), for retries with its Idempotency-Key; null for a
 *                    call known only from the session events
 */
public record OutboundCall(String room, String commandId, CallState state, String to, String from, String trunkId,
                           String sessionId, AnsweredBy answeredBy, CallFailure failure, EndReason endReason,
                           Instant requestedAt, Instant answeredAt, Instant endedAt, String tenant,
                           String fingerprint) {

    public OutboundCall {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(state, "state");
        answeredBy = answeredBy == null ? AnsweredBy.UNKNOWN : answeredBy;
        // Milliseconds, as the events on Kafka carry them: a dial's first answer shows the same times as its retries.
        requestedAt = millis(requestedAt);
        answeredAt = millis(answeredAt);
        endedAt = millis(endedAt);
    }

    private static Instant millis(Instant at) {
        return at == null ? null : at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** A dial this gateway is about to publish. */
    public static OutboundCall dialing(String room, String commandId, String to, String from, String trunkId, Instant at, String tenant,
                                       String fingerprint) {
        return new OutboundCall(room, commandId, CallState.DIALING, to, from, trunkId, null, null, null, null, at, null, null, tenant,
                fingerprint);
    }

    OutboundCall answered(String number, Instant at, AnsweredBy by) {
        return new OutboundCall(room, commandId, CallState.ANSWERED, orElse(to, number), from, trunkId, sessionId,
                by == AnsweredBy.UNKNOWN ? answeredBy : by, null, null, requestedAt, at, null, tenant, fingerprint);
    }

    OutboundCall failed(String number, CallFailure why, Instant at) {
        return new OutboundCall(room, commandId, CallState.FAILED, orElse(to, number), from, trunkId, sessionId, answeredBy,
                why, endReason, requestedAt, answeredAt, at, tenant, fingerprint);
    }

    OutboundCall ended(EndReason reason, Instant at) {
        return new OutboundCall(room, commandId, CallState.ENDED, to, from, trunkId, sessionId, answeredBy, failure, reason,
                requestedAt, answeredAt, at, tenant, fingerprint);
    }

    /** A CallEnded seen while still dialing (a hang-up of the ringing room): kept until CallFailed decides. */
    OutboundCall endedWhileDialing(EndReason reason) {
        return new OutboundCall(room, commandId, state, to, from, trunkId, sessionId, answeredBy, failure, reason,
                requestedAt, answeredAt, endedAt, tenant, fingerprint);
    }

    OutboundCall classified(AnsweredBy by) {
        return new OutboundCall(room, commandId, state, to, from, trunkId, sessionId, by, failure, endReason, requestedAt,
                answeredAt, endedAt, tenant, fingerprint);
    }

    /** The tenant a dial's outcome names (SessionEvent v3 on), for a call whose tenant is not known yet; else unchanged. */
    OutboundCall toldTenant(String named) {
        if (tenant != null || named == null || named.isBlank()) {
            return this;
        }
        return new OutboundCall(room, commandId, state, to, from, trunkId, sessionId, answeredBy, failure, endReason, requestedAt,
                answeredAt, endedAt, named, fingerprint);
    }

    /**
     * The number a dial's outcome says it was placed from (the dial's, else the call controller's default), for a call
     * whose request named none or was not seen; else unchanged.
     */
    OutboundCall toldFrom(String named) {
        if (from != null || named == null || named.isBlank()) {
            return this;
        }
        return new OutboundCall(room, commandId, state, to, named, trunkId, sessionId, answeredBy, failure, endReason, requestedAt,
                answeredAt, endedAt, tenant, fingerprint);
    }

    OutboundCall inSession(String session, String callee, String caller, String dialCommandId, String sessionTenant) {
        return new OutboundCall(room, orElse(commandId, dialCommandId), state, orElse(to, callee), orElse(from, caller), trunkId,
                session, answeredBy, failure, endReason, requestedAt, answeredAt, endedAt, orElse(tenant, sessionTenant),
                fingerprint);
    }

    /**
     * The same call with what its DialRequested said filled in where this record does not know it: the request read from
     * {@code switchboard.call-control} after (or instead of) the outcome that made this record (a restarted gateway reads
     * both topics at once). Its fingerprint is what a retry with the dial's Idempotency-Key is compared with.
     */
    OutboundCall withRequest(OutboundCall request) {
        Instant requested = requestedAt == null || request.requestedAt != null && request.requestedAt.isBefore(requestedAt)
                ? request.requestedAt : requestedAt;
        return new OutboundCall(room, orElse(commandId, request.commandId), state, orElse(to, request.to), orElse(from, request.from),
                orElse(trunkId, request.trunkId), sessionId, answeredBy, failure, endReason, requested, answeredAt, endedAt,
                orElse(tenant, request.tenant), orElse(fingerprint, request.fingerprint));
    }

    /** Whether the call has its outcome (answered or failed). */
    public boolean isDialed() {
        return !state.isDialing();
    }

    public boolean isOver() {
        return state == CallState.FAILED || state == CallState.ENDED;
    }

    /** Whether it failed without being placed: the call controller refused the dial, so it never had its room. */
    public boolean wasNeverPlaced() {
        return state == CallState.FAILED && failure != null && failure.neverPlaced();
    }

    private static String orElse(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
