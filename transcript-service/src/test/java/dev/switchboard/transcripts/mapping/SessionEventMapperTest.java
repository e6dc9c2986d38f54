package dev.switchboard.transcripts.mapping;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.transcripts.store.SessionChange;
import dev.switchboard.transcripts.support.Events.Call;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the dial and transfer events mean for the stored session. */
class SessionEventMapperTest {
    private static final Issuer LLM = Issuer.newBuilder().setKind(IssuerKind.LLM).setId("worker-1").build();
    private final Call call = Call.start("mapper");

    @Test
    void aFailedDialIsItsOutcomeWithTheSipStatusAndNoSession() {
        SessionEvent failed = call.callFailed("dial-1", "+15551230001", CallFailureReason.BUSY, 486, "Busy Here", 0);
        SessionChange.DialOutcome change = (SessionChange.DialOutcome) only(failed);
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
        assertThat(change.tenant()).as("this CallFailed names no tenant (a writer before v3)").isNull();
    }

    @Test
    void anAnsweredDialAndTheAgentsClassification() {
        SessionChange.DialOutcome answered = (SessionChange.DialOutcome) only(
                call.callAnswered("dial-2", "+15551230002", 0));
        assertThat(answered.outcome()).isEqualTo(SessionChange.DialOutcome.ANSWERED);
        assertThat(answered.failed()).isFalse();
        assertThat(answered.answeredBy()).isEqualTo("UNKNOWN");
        assertThat(answered.sipCallId()).isEqualTo("SCL_dial-2");

        SessionChange.AnswerClassified classified = (SessionChange.AnswerClassified) only(
                call.answerClassified(AnsweredBy.MACHINE, 0));
        assertThat(classified.answeredBy()).isEqualTo("MACHINE");
        assertThat(classified.sessionId()).hasToString(call.sessionId());
    }

    @Test
    void aDialOutcomeNamingItsTenantGivesIt() {
        SessionEvent failed = call.callFailed("dial-3", "+15551230003", CallFailureReason.NO_ANSWER, 480, null, 0, "acme");
        SessionEvent answered = call.callAnswered("dial-4", "+15551230004", 0, " ");

        assertThat(((SessionChange.DialOutcome) only(failed)).tenant()).isEqualTo("acme");
        assertThat(((SessionChange.DialOutcome) only(answered)).tenant()).as("blank is not said").isNull();
    }

    @Test
    void aDialOutcomeGivesTheNumberItWasPlacedFromAndItsAgent() {
        SessionEvent failed = call.callFailed("dial-5", "+15551230005", CallFailureReason.BUSY, 486, null, 0, "acme", "+15557650005", "collections");
        SessionEvent answered = call.callAnswered("dial-6", "+15551230006", 0, "acme", " ", "reminders");
        SessionEvent older = call.callFailed("dial-7", "+15551230007", CallFailureReason.BUSY, 486, null, 0, "acme");

        SessionChange.DialOutcome failedChange = (SessionChange.DialOutcome) only(failed);
        assertThat(failedChange.fromNumber()).isEqualTo("+15557650005");
        assertThat(failedChange.agentName()).isEqualTo("collections");
        SessionChange.DialOutcome answeredChange = (SessionChange.DialOutcome) only(answered);
        assertThat(answeredChange.fromNumber()).as("blank is not said").isNull();
        assertThat(answeredChange.agentName()).isEqualTo("reminders");
        SessionChange.DialOutcome olderChange = (SessionChange.DialOutcome) only(older);
        assertThat(olderChange.fromNumber()).as("not said by a writer before them").isNull();
        assertThat(olderChange.agentName()).isNull();
    }

    @Test
    void aTransferredCallIsItsHangUpAndTheTransfer() {
        SessionEvent event = call.controllerEvent(call.startedAt().plusSeconds(30), CallEnded.newBuilder().setReason(EndReason.TRANSFERRED)
                .setEndedBy(LLM).setHangupCommandId("t-1").setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT)
                .setTransferTo("tel:+15550199").build());

        List<SessionChange> changes = SessionEventMapper.toChanges(event);

        assertThat(changes).hasSize(2);
        assertThat(changes.get(0)).isInstanceOfSatisfying(SessionChange.HungUp.class, h -> assertThat(h.reason()).isEqualTo("TRANSFERRED"));
        assertThat(changes.get(1)).isInstanceOfSatisfying(SessionChange.Transfer.class, t -> {
            assertThat(t.outcome()).isEqualTo(SessionChange.Transfer.TRANSFERRED);
            assertThat(t.to()).isEqualTo("tel:+15550199");
            assertThat(t.commandId()).isEqualTo("t-1");
            assertThat(t.eventId()).isEqualTo(event.getEventId());
            assertThat(t.requestedByKind()).isEqualTo("LLM");
            assertThat(t.requestedById()).isEqualTo("worker-1");
            assertThat(t.sessionId()).as("the controller names no session").isNull();
        });
        assertThat(SessionEventMapper.toChanges(call.callEnded(EndReason.AGENT_HANGUP, 10_000)))
                .singleElement().isInstanceOf(SessionChange.HungUp.class);
    }

    @Test
    void aRefusedTransferIsATransferWithItsReasonAndSipStatus() {
        SessionEvent event = call.controllerEvent(call.startedAt().plusSeconds(20), TransferFailed.newBuilder()
                .setParticipantIdentity("sip-caller").setTransferTo("sip:billing@pbx.example.com").setReason(CallFailureReason.BUSY)
                .setSipStatusCode(486).setSipStatus("Busy Here").setDetail("refused").setTransferCommandId("t-2").build());

        SessionChange.Transfer transfer = (SessionChange.Transfer) only(event);

        assertThat(transfer.outcome()).isEqualTo("BUSY");
        assertThat(transfer.to()).isEqualTo("sip:billing@pbx.example.com");
        assertThat(transfer.sipStatusCode()).isEqualTo(486);
        assertThat(transfer.sipStatus()).isEqualTo("Busy Here");
        assertThat(transfer.detail()).isEqualTo("refused");
        assertThat(transfer.commandId()).isEqualTo("t-2");
        assertThat(transfer.requestedByKind()).isNull();
    }

    private static SessionChange only(SessionEvent event) {
        List<SessionChange> changes = SessionEventMapper.toChanges(event);
        assertThat(changes).hasSize(1);
        return changes.getFirst();
    }
}
