package dev.switchboard.controller.livekit;

import java.time.Duration;
import java.util.Map;

/**
 * One CreateSIPParticipant request in the project's terms.
 *
 * @param room            the room the callee joins once answered
 * @param trunkId         the LiveKit outbound trunk ({@code ST_...})
 * @param number          the number dialled (LiveKit's {@code sip_call_to})
 * @param fromNumber      the caller id; null for the trunk's own number
 * @param identity        the callee's participant identity
 * @param name            its participant name; null for none
 * @param attributes      participant attributes set on the callee (the controller marks its dial there, and puts the
 *                        dial's details there when no agent is dispatched explicitly)
 * @param ringingTimeout  how long LiveKit lets the phone ring
 * @param maxCallDuration the longest the call may last; null for LiveKit's default
 * @param playDialtone    play a dial tone in the room while ringing
 * @param dtmf            digits LiveKit sends once answered; null for none
 */
public record OutboundCall(String room, String trunkId, String number, String fromNumber, String identity, String name,
                           Map<String, String> attributes, Duration ringingTimeout, Duration maxCallDuration,
                           boolean playDialtone, String dtmf) {
    public OutboundCall {
        attributes = Map.copyOf(attributes);
    }

    /** The same call with other participant attributes. */
    public OutboundCall withAttributes(Map<String, String> attributes) {
        return new OutboundCall(room, trunkId, number, fromNumber, identity, name, attributes, ringingTimeout, maxCallDuration,
                playDialtone, dtmf);
    }
}
