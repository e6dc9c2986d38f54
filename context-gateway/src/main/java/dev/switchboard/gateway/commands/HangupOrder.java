package dev.switchboard.gateway.commands;

import dev.switchboard.events.Issuer;

import java.time.Duration;
import java.util.Objects;

/**
 * A validated request to hang up a room's call at once through the call controller (no goodbye).
 *
 * @param reason free text, sent as the HangupRequested detail
 */
public record HangupOrder(String room, String sessionId, String reason, Issuer issuer, String idempotencyKey, Duration waitUpTo) {
    public HangupOrder {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(waitUpTo, "waitUpTo");
    }
}
