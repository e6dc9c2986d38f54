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

/**
 * The job metadata an agent dispatched to an outbound call receives, as one JSON object. The agent worker parses it,
 * so its shape is a contract (call-controller/README.md, "Dispatch metadata"): {@code version}, {@code direction}
 * ({@code OUTBOUND}), {@code room}, {@code dialCommandId}, {@code calleeNumber}, {@code callerNumber}?,
 * {@code sipTrunkId}, {@code participantIdentity}, {@code firstSpeaker}, {@code machineDetection}?,
 * {@code voicemailMessage}?, {@code instructions}?, {@code maxCallDurationSeconds}?, {@code ringingTimeoutSeconds},
 * {@code tenant}?, {@code metadata}. Fields are only ever added; readers ignore what they do not know.
 */
public final class DispatchMetadata {
    /** The shape's version; bumped only if a field changes meaning (new fields do not). */
    public static final int VERSION = 1;
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
