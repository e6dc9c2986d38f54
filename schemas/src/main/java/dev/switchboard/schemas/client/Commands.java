package dev.switchboard.schemas.client;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.Say;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.Transport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * Builds command envelopes with a fresh {@code commandId}, the issuer, the issue time and the expiry.
 * Shared by the client library, the gateway and the worker so that every command is made the same way.
 */
public final class Commands {
    /** How long a command stays valid when the caller does not say. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);

    private final Issuer issuer;
    private final Duration ttl;
    private final Clock clock;

    public Commands(Issuer issuer, Duration ttl, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.ttl = Objects.requireNonNull(ttl, "ttl");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive");
        }
    }

    public Commands(Issuer issuer) {
        this(issuer, DEFAULT_TTL, Clock.systemUTC());
    }

    public Issuer issuer() {
        return issuer;
    }

    public static String newCommandId() {
        return UUID.randomUUID().toString();
    }

    /** A session command with a new id. */
    public SessionCommand session(String room, Object payload) {
        return session(newCommandId(), room, payload, ttl);
    }

    /** A session command with a caller-chosen id (for retries that must stay idempotent) and lifetime. */
    public SessionCommand session(String commandId, String room, Object payload, Duration lifetime) {
        return session(commandId, room, payload, lifetime, null);
    }

    /** A session command for a session of the given tenant; null: no tenant check (applied whatever the session's tenant). */
    public SessionCommand session(String commandId, String room, Object payload, Duration lifetime, String tenant) {
        Instant now = now();
        return SessionCommand.newBuilder()
                .setCommandId(commandId)
                .setRoom(requireRoom(room))
                .setTenant(tenant)
                .setIssuer(issuer)
                .setIssuedAt(now)
                .setExpiresAt(now.plus(lifetime))
                .setPayload(payload)
                .build();
    }

    /** A call-control request with a new id. */
    public CallControlRequest callControl(String room, Object payload) {
        return callControl(newCommandId(), room, payload, ttl);
    }

    public CallControlRequest callControl(String commandId, String room, Object payload, Duration lifetime) {
        return callControl(commandId, room, payload, lifetime, null);
    }

    /** A call-control request for a call of the given tenant; null: no tenant check (a dial's call then belongs to the tenant 'default'). */
    public CallControlRequest callControl(String commandId, String room, Object payload, Duration lifetime, String tenant) {
        Instant now = now();
        return CallControlRequest.newBuilder()
                .setCommandId(commandId)
                .setRoom(requireRoom(room))
                .setTenant(tenant)
                .setIssuer(issuer)
                .setIssuedAt(now)
                .setExpiresAt(now.plus(lifetime))
                .setPayload(payload)
                .build();
    }

    public SessionCommand injectContext(String room, ContextRole role, String text, boolean respond) {
        return session(room, InjectContext.newBuilder().setRole(role).setText(text).setRespond(respond).build());
    }

    public SessionCommand say(String room, String text) {
        return session(room, Say.newBuilder().setText(text).build());
    }

    /** Keypad tones the agent sends to the phone caller: 0-9, *, #, A-D; w waits half a second. */
    public SessionCommand sendDtmf(String room, String digits) {
        return session(room, SendDtmf.newBuilder().setDigits(digits).build());
    }

    public SessionCommand interrupt(String room) {
        return session(room, Interrupt.newBuilder().build());
    }

    public SessionCommand endSession(String room, String reason, String goodbye) {
        return session(room, EndSession.newBuilder().setReason(reason).setGoodbye(goodbye).build());
    }

    public CallControlRequest hangup(String room, EndReason reason, String detail) {
        return callControl(room, HangupRequested.newBuilder()
                .setReason(reason)
                .setDetail(detail)
                .setScope(HangupScope.POLICY_DEFAULT)
                .setTransport(Transport.UNKNOWN)
                .build());
    }

    private Instant now() {
        // Avro timestamp-millis keeps milliseconds; truncating here keeps a record equal to its round trip.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static String requireRoom(String room) {
        if (room == null || room.isBlank()) {
            throw new IllegalArgumentException("room must not be blank");
        }
        return room;
    }
}
