package dev.switchboard.gateway.commands;

import dev.switchboard.events.Issuer;
import dev.switchboard.kit.auth.Caller;

import java.time.Duration;
import java.util.Objects;

/**
 * A validated request to hang up a room's call at once through the call controller (no goodbye).
 *
 * @param reason free text, sent as the HangupRequested detail
 * @param caller who asks (from the bearer token): only sessions of its tenant are found
 */
public record HangupOrder(String room, String sessionId, String reason, Issuer issuer, Caller caller, String idempotencyKey, Duration waitUpTo) {
    public HangupOrder {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(waitUpTo, "waitUpTo");
    }
}
