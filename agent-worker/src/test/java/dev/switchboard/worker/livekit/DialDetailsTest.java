package dev.switchboard.worker.livekit;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Where a call's dial details come from: the job's dispatch metadata first, the SIP participant's attribute for the rest. */
class DialDetailsTest {
    private static final String ATTRIBUTE = """
            {"direction": "OUTBOUND", "calleeNumber": "+15550112", "instructions": "From the callee's attribute.",
             "machineDetection": "HANGUP", "maxCallDurationSeconds": 600, "tenant": "acme", "metadata": {"orderId": "A-18", "n": 7}}""";

    private static Map<String, String> sipAttributes(String details) {
        return Map.of("sip.phoneNumber", "+15550112", DialDetails.PARTICIPANT_ATTRIBUTE, details);
    }

    @Test
    void aJobWithoutMetadataTakesTheDialFromTheSipParticipant() {
        for (String none : new String[] {null, "", "  "}) {
            DialDetails dial = DialDetails.of(none, true, sipAttributes(ATTRIBUTE));

            assertThat(dial.fromParticipant()).isTrue();
            assertThat(dial.text("direction")).isEqualTo("OUTBOUND");
            assertThat(dial.text("calleeNumber")).isEqualTo("+15550112");
            assertThat(dial.text("instructions")).isEqualTo("From the callee's attribute.");
            assertThat(dial.text("machineDetection")).isEqualTo("HANGUP");
            assertThat(dial.field("maxCallDurationSeconds").asLong()).isEqualTo(600);
            assertThat(dial.dialMetadata()).containsExactly(Map.entry("orderId", "A-18"), Map.entry("n", "7"));
            assertThat(dial.participantJson()).contains("\"tenant\":\"acme\"");
        }
    }

    @Test
    void theDispatchMetadataWinsAndTheAttributeOnlyFillsWhatItLacks() {
        String dispatch = """
                {"direction": "OUTBOUND", "instructions": "From the dispatch.", "metadata": {"source": "dispatch"}}""";

        DialDetails dial = DialDetails.of(dispatch, true, sipAttributes(ATTRIBUTE));

        assertThat(dial.fromParticipant()).isFalse();
        assertThat(dial.text("instructions")).isEqualTo("From the dispatch.");
        assertThat(dial.dialMetadata()).as("the dispatch's metadata object as a whole").containsExactly(Map.entry("source", "dispatch"));
        assertThat(dial.text("calleeNumber")).as("what the dispatch does not say").isEqualTo("+15550112");
        assertThat(dial.text("machineDetection")).isEqualTo("HANGUP");
    }

    @Test
    void onlyASipParticipantsAttributeCounts() {
        // A web participant allowed to set its own attributes must not pass itself off as a dial.
        DialDetails dial = DialDetails.of(null, false, sipAttributes(ATTRIBUTE));

        assertThat(dial.text("direction")).isNull();
        assertThat(dial.text("instructions")).isNull();
        assertThat(dial.dialMetadata()).isEmpty();
        assertThat(dial.participantJson()).isNull();
    }

    @Test
    void whatIsNotAJsonObjectIsNotADial() {
        for (String notOurs : new String[] {"not json", "[1, 2]", "\"OUTBOUND\"", "{"}) {
            DialDetails dial = DialDetails.of(notOurs, true, sipAttributes(notOurs));

            assertThat(dial.text("direction")).isNull();
            assertThat(dial.field("maxCallDurationSeconds").isMissingNode()).isTrue();
            assertThat(dial.dialMetadata()).isEmpty();
            assertThat(dial.participantJson()).isNull();
        }
        assertThat(DialDetails.of("{\"instructions\": \"x\"}", true, Map.of()).text("instructions")).isEqualTo("x");
        assertThat(DialDetails.none().text("direction")).isNull();
    }

    @Test
    void theDialCommandIdComesFromTheDetailsElseFromTheCalleesOwnAttribute() {
        // The controller writes it into the details, and on every callee as switchboard.dialCommandId.
        assertThat(DialDetails.of("{\"dialCommandId\": \"dial-1\"}", true,
                Map.of(DialDetails.DIAL_COMMAND_ID_ATTRIBUTE, "dial-1")).dialCommandId()).isEqualTo("dial-1");
        assertThat(DialDetails.of(null, true, Map.of(DialDetails.PARTICIPANT_ATTRIBUTE, "{\"dialCommandId\": \"dial-2\"}"))
                .dialCommandId()).as("from the callee's switchboard.dial").isEqualTo("dial-2");
        assertThat(DialDetails.of("{\"direction\": \"OUTBOUND\"}", true, Map.of(DialDetails.DIAL_COMMAND_ID_ATTRIBUTE, "dial-3"))
                .dialCommandId()).as("details without it: the callee's attribute").isEqualTo("dial-3");
        assertThat(DialDetails.of(null, false, Map.of(DialDetails.DIAL_COMMAND_ID_ATTRIBUTE, "dial-4")).dialCommandId())
                .as("a web participant's attributes are not a dial's").isNull();
        assertThat(DialDetails.of(null, true, Map.of("sip.phoneNumber", "+15550100")).dialCommandId()).as("an inbound call").isNull();
        assertThat(DialDetails.none().dialCommandId()).isNull();
    }

    @Test
    void machineDetectionIsReadAsTheControllerWritesItAndAsTheHttpApiSpellsIt() {
        for (String leave : new String[] {"LEAVE_MESSAGE", "leave-message", "Leave_Message"}) {
            assertThat(DialDetails.of("{\"machineDetection\": \"" + leave + "\"}", true, Map.of()).machineDetection())
                    .contains(dev.switchboard.events.MachineDetection.LEAVE_MESSAGE);
        }
        assertThat(DialDetails.of("{\"machineDetection\": \"hangup\"}", true, Map.of()).machineDetection())
                .contains(dev.switchboard.events.MachineDetection.HANGUP);
        for (String none : new String[] {"{}", "{\"machineDetection\": \"beep\"}", "{\"machineDetection\": \"UNKNOWN\"}",
                "{\"machineDetection\": 3}"}) {
            assertThat(DialDetails.of(none, true, Map.of()).machineDetection()).as(none).isEmpty();
        }
    }
}
