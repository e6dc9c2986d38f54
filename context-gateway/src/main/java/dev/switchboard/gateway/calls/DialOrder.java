package dev.switchboard.gateway.calls;

import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.MachineDetection;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A validated request to place an outbound call.
 *
 * @param room             the room to call into; null: generated (from the Idempotency-Key when there is one, so a
 *                         retry lands in the same room)
 * @param trunkId          null: SWITCHBOARD_SIP_OUTBOUND_TRUNK
 * @param from             null: SWITCHBOARD_SIP_FROM_NUMBER, else the call controller's default
 * @param ringingTimeout   null: the DialRequested default (30 s)
 * @param maxDuration      null: the call controller's default
 * @param machineDetection null: no answering-machine detection
 * @param firstSpeaker     null: the callee (the outbound default)
 * @param tenant           whose call it is: the tenant of the token that placed it
 * @param idempotencyKey   the tenant's key: becomes the commandId ({@code IdempotencyKeys}); null for a new id
 * @param waitUpTo         how long to wait for the outcome; zero answers at once
 */
public record DialOrder(String room, String to, String from, String trunkId, String agentName, String instructions,
                        Map<String, String> metadata, Duration ringingTimeout, Duration maxDuration,
                        MachineDetection machineDetection, String voicemailMessage, FirstSpeaker firstSpeaker,
                        Issuer issuer, String tenant, String idempotencyKey, Duration waitUpTo) {
    public DialOrder {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(waitUpTo, "waitUpTo");
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
