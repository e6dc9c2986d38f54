package dev.switchboard.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.livekit.ffi.Participant;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What the system that placed a call said about it (call-controller/README.md, "Dispatch metadata"): one JSON object
 * with the direction, the numbers, who speaks first, answering-machine detection, the instructions, the dial's own
 * {@code metadata}, the tenant... It arrives in one of two places:
 * <ul>
 *   <li>the job's dispatch metadata, when the call controller dispatched a named agent (CreateDispatch);</li>
 *   <li>the SIP participant's {@value #PARTICIPANT_ATTRIBUTE} attribute, when it dispatched none: LiveKit's automatic
 *       dispatch gives the agent a job without metadata, so the controller put the same JSON on the callee it created
 *       (CreateSIPParticipant's {@code participant_attributes}).</li>
 * </ul>
 * Each field is read from the dispatch metadata first; the attribute only fills in what the dispatch metadata lacks
 * (a dispatch's {@code metadata} object replaces the attribute's as a whole). The attribute is read only from a
 * participant of kind SIP: those are created by LiveKit's SIP service, from a request signed with the API key (or the
 * operator's trunk and dispatch-rule settings), so it is trusted as the dispatch is; a web participant allowed to
 * update its own attributes could otherwise claim to be a dial.
 */
final class DialDetails {
    /** The SIP participant attribute that carries the dial's JSON when the job has none (the controller's contract). */
    static final String PARTICIPANT_ATTRIBUTE = "switchboard.dial";
    /** The SIP participant attribute naming the dial's {@code commandId}, on every callee the controller dials. */
    static final String DIAL_COMMAND_ID_ATTRIBUTE = "switchboard.dialCommandId";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DialDetails NONE = new DialDetails(MissingNode.getInstance(), MissingNode.getInstance(), null);

    private final JsonNode dispatch;
    private final JsonNode participant;
    private final String participantDialCommandId;

    private DialDetails(JsonNode dispatch, JsonNode participant, String participantDialCommandId) {
        this.dispatch = dispatch;
        this.participant = participant;
        this.participantDialCommandId = participantDialCommandId;
    }

    /** The details of a job whose caller has joined: the dispatch metadata, else the SIP caller's attribute. */
    static DialDetails of(String jobMetadata, Participant caller) {
        return of(jobMetadata, caller.isSip(), caller.attributes());
    }

    /** As {@link #of(String, Participant)}, from what is known of the caller. */
    static DialDetails of(String jobMetadata, boolean callerIsSip, Map<String, String> callerAttributes) {
        boolean trusted = callerIsSip && callerAttributes != null;
        JsonNode attribute = trusted ? object(callerAttributes.get(PARTICIPANT_ATTRIBUTE)) : MissingNode.getInstance();
        String dialCommandId = trusted ? callerAttributes.get(DIAL_COMMAND_ID_ATTRIBUTE) : null;
        return new DialDetails(object(jobMetadata), attribute, dialCommandId == null || dialCommandId.isBlank() ? null : dialCommandId);
    }

    /** No dial known (yet). */
    static DialDetails none() {
        return NONE;
    }

    /** Whether the dispatch metadata carried none of it and the SIP participant's attribute was read instead. */
    boolean fromParticipant() {
        return !participant.isMissingNode() && dispatch.isMissingNode();
    }

    /** A text field; null when neither place has it as text. */
    String text(String field) {
        JsonNode value = field(field);
        return value.isTextual() ? value.asText() : null;
    }

    /**
     * The {@code commandId} of the DialRequested that placed the call: the details' {@code dialCommandId}, else the SIP
     * participant's {@value #DIAL_COMMAND_ID_ATTRIBUTE} attribute (the controller sets it on every callee, also when the
     * details travel in the dispatch); null for a call nobody dialled through the controller.
     */
    String dialCommandId() {
        String declared = text("dialCommandId");
        return declared != null && !declared.isBlank() ? declared : participantDialCommandId;
    }

    /**
     * The answering-machine detection the dial asked for ({@code machineDetection}: HANGUP, LEAVE_MESSAGE or CONTINUE,
     * as the controller writes them; the HTTP API's {@code leave-message} spelling too); empty for none, or for a value
     * that is none of these.
     */
    Optional<MachineDetection> machineDetection() {
        String declared = text("machineDetection");
        if (declared == null || declared.isBlank()) {
            return Optional.empty();
        }
        try {
            MachineDetection mode = MachineDetection.valueOf(declared.strip().replace('-', '_').toUpperCase(Locale.ROOT));
            return mode == MachineDetection.UNKNOWN ? Optional.empty() : Optional.of(mode);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A field, whatever its type; a missing node when neither place has it. */
    JsonNode field(String field) {
        JsonNode value = dispatch.path(field);
        return value.isMissingNode() || value.isNull() ? participant.path(field) : value;
    }

    /** The dial's own {@code metadata} (string values as they are, anything else as its JSON text); empty when none. */
    Map<String, String> dialMetadata() {
        JsonNode metadata = dispatch.path("metadata").isObject() ? dispatch.path("metadata") : participant.path("metadata");
        Map<String, String> attached = new LinkedHashMap<>();
        metadata.properties().forEach(entry ->
                attached.put(entry.getKey(), entry.getValue().isTextual() ? entry.getValue().asText() : entry.getValue().toString()));
        return attached;
    }

    /** The JSON text the tenant rules read for the dial's {@code tenant}: the attribute's, when it is read at all. */
    String participantJson() {
        return participant.isMissingNode() ? null : participant.toString();
    }

    /** A JSON object, or a missing node for anything else (absent, blank, not JSON, not an object: not ours). */
    private static JsonNode object(String json) {
        if (json == null || json.isBlank()) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node != null && node.isObject() ? node : MissingNode.getInstance();
        } catch (Exception e) {
            return MissingNode.getInstance();
        }
    }
}
