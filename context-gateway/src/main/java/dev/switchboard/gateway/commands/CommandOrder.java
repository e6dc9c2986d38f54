package dev.switchboard.gateway.commands;

import dev.switchboard.events.Issuer;
import dev.switchboard.kit.auth.Caller;

import java.time.Duration;
import java.util.Objects;

/**
 * A validated request to command a room's session.
 *
 * @param sessionId      the session the caller means; null for the room's latest
 * @param payload        the SessionCommand payload (InjectContext, Say, ...)
 * @param caller         who asks (from the bearer token): only sessions of its tenant are found
 * @param idempotencyKey the caller's tenant's key: becomes the commandId ({@link IdempotencyKeys}), so a retried request
 *                       does not create a second command; null for a new id
 * @param waitUpTo           how long to wait for the result; zero answers at once
 */
public record CommandOrder(String room, String sessionId, Object payload, Issuer issuer, Caller caller, String idempotencyKey, Duration waitUpTo) {
    public CommandOrder {
        Objects.requireNonNull(room, "room");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(waitUpTo, "waitUpTo");
    }

    public String type() {
        return TrackedCommand.typeOf(payload);
    }
}
