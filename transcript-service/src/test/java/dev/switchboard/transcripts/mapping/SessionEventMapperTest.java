package dev.switchboard.transcripts.mapping;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.transcripts.store.SessionChange;
import dev.switchboard.transcripts.support.Events.Call;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dial events mean for the stored session. */
class SessionEventMapperTest {
    private final Call call = Call.start("mapper");

    @Test
    void aFailedDialIsItsOutcomeWithTheSipStatusAndNoSession() {
        SessionEvent failed = call.callFailed("dial-1", "+15551230001", CallFailureReason.BUSY, 486, "Busy Here", 0);
        SessionChange.DialOutcome change = (SessionChange.DialOutcome) SessionEventMapper.toChange(failed).orElseThrow();
        assertThat(change.sessionId()).isNull();
        assertThat(change.room()).isEqualTo(call.room());
        assertThat(change.eventId()).isEqualTo(failed.getEventId());
        assertThat(change.dialCommandId()).isEqualTo("dial-1");
        assertThat(change.phoneNumber()).isEqualTo("+15551230001");
        assertThat(change.outcome()).isEqualTo("BUSY");
        assertThat(change.failed()).isTrue();
        assertThat(change.sipStatusCode()).isEqualTo(486);
        assertThat(change.sipStatus()).isEqualTo("Busy Here");
        assertThat(change.answeredBy()).isNull();
        assertThat(change.tenant()).as("CallFailed names no tenant (yet)").isNull();
    }

    @Test
    void anAnsweredDialAndTheAgentsClassification() {
        SessionChange.DialOutcome answered = (SessionChange.DialOutcome) SessionEventMapper.toChange(
                call.callAnswered("dial-2", "+15551230002", 0)).orElseThrow();
        assertThat(answered.outcome()).isEqualTo(SessionChange.DialOutcome.ANSWERED);
        assertThat(answered.failed()).isFalse();
        assertThat(answered.answeredBy()).isEqualTo("UNKNOWN");
        assertThat(answered.sipCallId()).isEqualTo("SCL_dial-2");

        SessionChange.AnswerClassified classified = (SessionChange.AnswerClassified) SessionEventMapper.toChange(
                call.answerClassified(AnsweredBy.MACHINE, 0)).orElseThrow();
        assertThat(classified.answeredBy()).isEqualTo("MACHINE");
        assertThat(classified.sessionId()).hasToString(call.sessionId());
    }

    @Test
    void aTenantIsTakenFromARecordWhoseSchemaHasOneThePayloadsFirst() {
        Schema withTenant = SchemaBuilder.record("WithTenant").fields().optionalString("tenant").endRecord();
        Schema without = SchemaBuilder.record("Without").fields().optionalString("other").endRecord();
        GenericData.Record acme = new GenericData.Record(withTenant);
        acme.put("tenant", "acme");
        GenericData.Record blank = new GenericData.Record(withTenant);
        blank.put("tenant", " ");
        GenericData.Record none = new GenericData.Record(without);
        GenericData.Record globex = new GenericData.Record(withTenant);
        globex.put("tenant", "globex");

        assertThat(SessionEventMapper.declaredTenant(acme, globex)).isEqualTo("acme");
        assertThat(SessionEventMapper.declaredTenant(none, globex)).isEqualTo("globex");
        assertThat(SessionEventMapper.declaredTenant(blank, none)).isNull();
        assertThat(SessionEventMapper.declaredTenant(none)).isNull();
    }
}
