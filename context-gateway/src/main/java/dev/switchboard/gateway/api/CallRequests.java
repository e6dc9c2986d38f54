package dev.switchboard.gateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.events.TransferCall;
import dev.switchboard.gateway.api.BoundedText.Limit;
import dev.switchboard.gateway.calls.DialOrder;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.validation.BoundedMetadata;
import dev.switchboard.kit.validation.DialRules;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The request bodies of the phone endpoints (dial, transfer, keypad tones), validated before a resource sees them. */
public final class CallRequests {
    /** E.164: a plus, then up to 15 digits, the first not 0 (the rule the call controller applies to dials from Kafka too). */
    static final String E164 = DialRules.E164;
    /**
     * A SIP URI without ?headers, control, format or space characters: see {@link DialRules#SIP_URI}. The scheme is
     * case-insensitive, as RFC 3261 says; {@link #sipScheme} writes it in lower case.
     */
    static final String SIP_URI = DialRules.SIP_URI;
    /** Where a call or a transfer may go: E.164, bare or as a tel: URI, or a SIP URI; schemes in any case (TEL:, SIP:). */
    static final String DESTINATION = DialRules.DESTINATION;
    static final String DIAL_DESTINATION = DialRules.DIAL_DESTINATION;
    static final Duration MAX_RINGING_TIMEOUT = DialRules.MAX_RINGING_TIMEOUT;
    static final Duration MAX_CALL_DURATION = DialRules.MAX_CALL_DURATION;

    private CallRequests() {
    }

    /**
     * A sip:, sips: or tel: URI with its scheme in lower case ({@code SIP:bob@pbx} dials sip:bob@pbx, {@code TEL:+1555...}
     * tel:+1555...); anything else as it is.
     */
    static String sipScheme(String to) {
        int colon = to.indexOf(':');
        String scheme = colon < 0 ? "" : to.substring(0, colon);
        return scheme.equalsIgnoreCase("sip") || scheme.equalsIgnoreCase("sips") || scheme.equalsIgnoreCase("tel")
                ? scheme.toLowerCase(Locale.ROOT) + to.substring(colon) : to;
    }

    @Schema(name = "PlaceCallRequest", description = "An outbound phone call, placed through LiveKit SIP with an agent in the room")
    public record PlaceCallRequest(
            @Schema(required = true, description = "E.164 (+15551234567, also as tel:+15551234567) or a SIP user (sip:alice), called at "
                    + "the outbound trunk's address: LiveKit takes no host per call, so sip:alice@host is refused (make a trunk for that "
                    + "host and name it in trunkId); schemes in any case (TEL:, SIP:)", example = "+15551234567")
            @NotNull(message = "is required (an E.164 number such as +15551234567, or a SIP user such as sip:alice)")
            @Pattern(regexp = DIAL_DESTINATION, message = "must be an E.164 number (+ and up to 15 digits, e.g. +15551234567) or a SIP user "
                    + "such as sip:alice, without a host (LiveKit calls a SIP user at the outbound trunk's address: for another host, "
                    + "make a trunk for it and name it in trunkId), ?headers or control characters")
            String to,
            @Schema(description = "Caller id, E.164; default SWITCHBOARD_SIP_FROM_NUMBER, else the trunk's number")
            @Pattern(regexp = E164, message = "must be an E.164 number such as +15557654321") String from,
            @Schema(description = "LiveKit outbound trunk (ST_...); default SWITCHBOARD_SIP_OUTBOUND_TRUNK")
            @Pattern(regexp = "[A-Za-z0-9_-]{1,100}", message = "must be a LiveKit trunk id such as ST_abc123") String trunkId,
            @Schema(description = "The room to call into; default a new one (call-<uuid>)")
            @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9_.-]{0,127}", message = "must be 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or digit")
            String room,
            @Schema(description = "The agent to dispatch; default SWITCHBOARD_LIVEKIT_AGENT_NAME of the call controller")
            @BoundedText(Limit.LABEL) String agentName,
            @Schema(description = "The agent's instructions (system prompt) for this call")
            @BoundedText(Limit.INSTRUCTIONS) String instructions,
            @Schema(type = SchemaType.OBJECT, description = "Anything the agent should know (string values; others are kept as JSON text);"
                    + " at most 50 entries, values of at most 4000 characters")
            @BoundedMetadata Map<String, JsonNode> metadata,
            @Schema(description = "How long the phone rings, e.g. 30s (default), 2m or ISO-8601 (PT45S); whole seconds, 1s to 5m", example = "30s") String ringingTimeout,
            @Schema(description = "The longest the call may last, e.g. 10m, 1h or ISO-8601 (PT1H30M, P1D); whole seconds, 1s to 24h", example = "10m") String maxDuration,
            @Schema(enumeration = {"hangup", "leave-message", "continue"},
                    description = "What the agent does when an answering machine picks up; absent: no detection")
            @Choice({"hangup", "leave-message", "continue"}) String machineDetection,
            @Schema(description = "What the agent leaves on the machine (with machineDetection leave-message)")
            @BoundedText(Limit.TEXT) String voicemailMessage,
            @Schema(enumeration = {"callee", "agent"}, defaultValue = "callee",
                    description = "Who speaks first once answered: the callee (the agent waits for their hello) or the agent")
            @Choice({"callee", "agent"}) String firstSpeaker) {

        static final String EXAMPLE = "{\"to\": \"+15551234567\"}";

        DialOrder toOrder(Issuer issuer, String tenant, String idempotencyKey, Duration waitUpTo) {
            MachineDetection detection = machineDetection == null ? null
                    : MachineDetection.valueOf(machineDetection.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (detection == MachineDetection.LEAVE_MESSAGE && voicemailMessage == null) {
                throw ProblemException.invalid("voicemailMessage is required with machineDetection leave-message");
            }
            if (voicemailMessage != null && detection != MachineDetection.LEAVE_MESSAGE) {
                throw ProblemException.invalid("voicemailMessage is only used with machineDetection leave-message");
            }
            FirstSpeaker speaker = firstSpeaker == null ? null : FirstSpeaker.valueOf(firstSpeaker.toUpperCase(Locale.ROOT));
            String number = to.regionMatches(true, 0, "tel:", 0, 4) ? to.substring(4) : sipScheme(to);
            return new DialOrder(room, number, from, trunkId, agentName, instructions, metadata(metadata),
                    CallDurations.parse("ringingTimeout", ringingTimeout, Duration.ofSeconds(1), MAX_RINGING_TIMEOUT),
                    CallDurations.parse("maxDuration", maxDuration, Duration.ofSeconds(1), MAX_CALL_DURATION),
                    detection, voicemailMessage, speaker, issuer, tenant, idempotencyKey, waitUpTo);
        }

        /** The DialRequested carries string values: strings as they are, anything else as its JSON text (bounded by @BoundedMetadata). */
        private static Map<String, String> metadata(Map<String, JsonNode> given) {
            if (given == null) {
                return Map.of();
            }
            Map<String, String> strings = new LinkedHashMap<>();
            given.forEach((key, value) -> strings.put(key, value.isTextual() ? value.asText() : value.toString()));
            return strings;
        }
    }

    @Schema(name = "TransferRequest", description = "A cold transfer of the phone caller to another number or SIP address")
    public record TransferRequest(
            @Schema(required = true, description = "tel:+E.164 (a bare +E.164 is taken as tel:) or a sip: URI; schemes in any case (TEL:, SIP:)", example = "tel:+15551234567")
            @NotNull(message = "is required (tel:+15551234567 or a sip: URI)")
            @Pattern(regexp = DESTINATION, message = "must be tel: and an E.164 number (tel:+15551234567; a bare +15551234567 is taken as tel:)"
                    + " or a sip: URI without ?headers or control characters")
            String to,
            @Schema(defaultValue = "false", description = "Play a dial tone to the caller while the transfer connects") Boolean playDialtone,
            @Schema(description = "What the agent says before it transfers") @BoundedText(Limit.TEXT) String announcement) {

        static final String EXAMPLE = "{\"to\": \"tel:+15551234567\"}";

        TransferCall toPayload() {
            String target = to.startsWith("+") ? "tel:" + to : sipScheme(to);
            return TransferCall.newBuilder().setTo(target).setPlayDialtone(Boolean.TRUE.equals(playDialtone))
                    .setAnnouncement(announcement).build();
        }
    }
}
