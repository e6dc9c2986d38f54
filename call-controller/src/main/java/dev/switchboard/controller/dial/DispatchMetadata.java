package dev.switchboard.controller.dial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.controller.livekit.OutboundCall;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.MachineDetection;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The job metadata an agent dispatched to an outbound call receives, as one JSON object. The agent worker parses it,
 * so its shape is a contract (call-controller/README.md, "Dispatch metadata"): {@code version}, {@code direction}
 * ({@code OUTBOUND}), {@code room}, {@code dialCommandId}, {@code calleeNumber}, {@code callerNumber}?,
 * {@code sipTrunkId}, {@code participantIdentity}, {@code firstSpeaker}, {@code machineDetection}?,
 * {@code voicemailMessage}?, {@code instructions}?, {@code maxCallDurationSeconds}?, {@code ringingTimeoutSeconds},
 * {@code tenant}?, {@code metadata}. Fields are only ever added; readers ignore what they do not know.
 * <p>
 * A dial that dispatches no agent explicitly (no agent name: LiveKit's automatic dispatch sends an agent with empty
 * job metadata) puts the same JSON on the callee's SIP participant instead, as the attribute
 * {@value #PARTICIPANT_ATTRIBUTE}; the worker reads it there when its job carries none.
 */
public final class DispatchMetadata {
    /** The shape's version; bumped only if a field changes meaning (new fields do not). */
    public static final int VERSION = 1;
    /** The callee's participant attribute that carries this JSON when no agent is dispatched explicitly. */
    public static final String PARTICIPANT_ATTRIBUTE = "switchboard.dial";
    /**
     * The most the controller puts in a callee's participant attributes, keys and values counted in UTF-8 bytes as
     * LiveKit counts them. LiveKit refuses a participant whose attributes together exceed {@code limit.max_attributes_size}
     * (64000 bytes by default); the rest is left to the {@code sip.*} attributes LiveKit's SIP bridge adds itself.
     */
    public static final int MAX_PARTICIPANT_ATTRIBUTES_BYTES = 56_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private DispatchMetadata() {
    }

    /** The metadata of the dispatch that goes with {@code call}, resolved from {@code dial} and the configuration. */
    public static String json(CallControlRequest request, DialRequested dial, OutboundCall call) {
        ObjectNode node = JSON.createObjectNode();
        node.put("version", VERSION);
        node.put("direction", CallDirection.OUTBOUND.name());
        node.put("room", call.room());
        node.put("dialCommandId", request.getCommandId());
        node.put("calleeNumber", call.number());
        if (call.fromNumber() != null) {
            node.put("callerNumber", call.fromNumber());
        }
        node.put("sipTrunkId", call.trunkId());
        node.put("participantIdentity", call.identity());
        node.put("firstSpeaker", firstSpeaker(dial.getFirstSpeaker()).name());
        MachineDetection detection = dial.getMachineDetection();
        if (detection != null && detection != MachineDetection.UNKNOWN) {
            node.put("machineDetection", detection.name());
        }
        putText(node, "voicemailMessage", dial.getVoicemailMessage());
        putText(node, "instructions", dial.getInstructions());
        if (call.maxCallDuration() != null) {
            node.put("maxCallDurationSeconds", call.maxCallDuration().toSeconds());
        }
        node.put("ringingTimeoutSeconds", call.ringingTimeout().toSeconds());
        putText(node, "tenant", request.getTenant());
        ObjectNode metadata = node.putObject("metadata");
        dial.getMetadata().forEach(metadata::put);
        return node.toString();
    }

    /** On an outbound call the callee speaks first (says hello) unless the dial asks the agent to open. */
    private static FirstSpeaker firstSpeaker(FirstSpeaker requested) {
        return requested == FirstSpeaker.AGENT ? FirstSpeaker.AGENT : FirstSpeaker.CALLEE;
    }

    private static void putText(ObjectNode node, String field, String value) {
        if (value != null && !value.isBlank()) {
            node.put(field, value);
        }
    }

    /** The size LiveKit counts for a participant's attributes: every key and value, in UTF-8 bytes. */
    public static int attributesBytes(Map<String, String> attributes) {
        return attributes.entrySet().stream()
                .mapToInt(e -> utf8Length(e.getKey()) + utf8Length(e.getValue()))
                .sum();
    }

    private static int utf8Length(String text) {
        return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The dial command a dispatch's metadata names; null when it is not one of ours. */
    public static String dialCommandId(String metadata) {
        if (metadata == null || metadata.isBlank()) {
            return null;
        }
        try {
            JsonNode value = JSON.readTree(metadata).path("dialCommandId");
            return value.isTextual() ? value.asText() : null;
        } catch (Exception e) {
            return null; // metadata that is not JSON is not ours
        }
    }
}
