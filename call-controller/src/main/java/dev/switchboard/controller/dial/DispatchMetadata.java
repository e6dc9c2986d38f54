package dev.switchboard.controller.dial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.DialRequested;

/**
 * The job metadata an agent dispatched to an outbound call receives, as JSON:
 * {@code {"direction": "OUTBOUND", "dialCommandId", "calleeNumber", "callerNumber"?, "sipTrunkId",
 * "participantIdentity", "instructions"?, "metadata": {...}}}. The agent worker already reads {@code direction} and
 * {@code instructions} from it; the numbers are named as in SessionStarted.
 */
public final class DispatchMetadata {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DispatchMetadata() {
    }

    public static String json(String dialCommandId, DialRequested dial, String calleeNumber, String callerNumber, String trunkId,
                              String participantIdentity) {
        ObjectNode node = JSON.createObjectNode();
        node.put("direction", CallDirection.OUTBOUND.name());
        node.put("dialCommandId", dialCommandId);
        node.put("calleeNumber", calleeNumber);
        if (callerNumber != null) {
            node.put("callerNumber", callerNumber);
        }
        node.put("sipTrunkId", trunkId);
        node.put("participantIdentity", participantIdentity);
        if (dial.getInstructions() != null && !dial.getInstructions().isBlank()) {
            node.put("instructions", dial.getInstructions());
        }
        ObjectNode metadata = node.putObject("metadata");
        dial.getMetadata().forEach(metadata::put);
        return node.toString();
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
