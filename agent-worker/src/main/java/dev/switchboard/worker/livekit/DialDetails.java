package dev.switchboard.worker.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.switchboard.livekit.ffi.Participant;

import java.util.LinkedHashMap;
import java.util.Map;

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
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DialDetails NONE = new DialDetails(MissingNode.getInstance(), MissingNode.getInstance());

    private final JsonNode dispatch;
    private final JsonNode participant;

    private DialDetails(JsonNode dispatch, JsonNode participant) {
        this.dispatch = dispatch;
        this.participant = participant;
    }

    /** The details of a job whose caller has joined: the dispatch metadata, else the SIP caller's attribute. */
    static DialDetails of(String jobMetadata, Participant caller) {
        return of(jobMetadata, caller.isSip(), caller.attributes());
    }

    /** As {@link #of(String, Participant)}, from what is known of the caller. */
    static DialDetails of(String jobMetadata, boolean callerIsSip, Map<String, String> callerAttributes) {
        JsonNode attribute = callerIsSip && callerAttributes != null ? object(callerAttributes.get(PARTICIPANT_ATTRIBUTE)) : MissingNode.getInstance();
        return new DialDetails(object(jobMetadata), attribute);
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
