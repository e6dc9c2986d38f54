package dev.switchboard.worker.session;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.simulated.SimulatedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Answering-machine detection: the verdict on the callee's first words, and what the agent does with it. */
class AnsweringMachineTest {
    private static final String GREETING = "Hi, you've reached Sam. I can't take your call right now, please leave a message after the tone.";
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final RecordingPublisher published = new RecordingPublisher();
    private final SimulatedTransport transport = new SimulatedTransport("sip_+15550100");
    private final LlmClient model = new LlmClient() {
        @Override
        public LlmResponse complete(LlmRequest request, TextListener onText) {
            return new LlmResponse("Hi Sam, this is Acme about your delivery.", List.of(), 0, 0);
        }

        @Override
        public String describe() {
            return "test";
        }
    };

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private static CallerSpeech said(String text, long durationMs) {
        return new CallerSpeech(UUID.randomUUID().toString(), text, 100, 100 + durationMs, 0.9f, "en");
    }

    private AgentSession outboundCall(MachineDetection mode, String voicemailMessage) {
        AgentSession session = TestSessions.create("room-amd", transport, model, published, timers);
        session.screenAnswer(mode, voicemailMessage);
        return session;
    }

    @Test
    void theDetectorTellsRecordingsFromPeople() {
        var detector = new MachineDetector(Duration.ofSeconds(5), 12);
        assertThat(detector.classify("Hello?", 600).answeredBy()).isEqualTo(AnsweredBy.HUMAN);
        assertThat(detector.classify("Acme, this is Sam speaking.", 1500).answeredBy()).isEqualTo(AnsweredBy.HUMAN);
        assertThat(detector.classify(GREETING, 4000)).satisfies(v -> {
            assertThat(v.answeredBy()).isEqualTo(AnsweredBy.MACHINE);
            assertThat(v.detail()).contains("leave a message");
        });
        assertThat(detector.classify("For billing, press 1. For support, press 2.", 3000).detail()).contains("press 1");
        assertThat(detector.classify("The number you have dialed is not in service.", 3000).answeredBy()).isEqualTo(AnsweredBy.MACHINE);
        assertThat(detector.classify("Good afternoon and welcome", 6000).detail()).contains("6.0 s");
        assertThat(detector.classify("", 0).answeredBy()).isEqualTo(AnsweredBy.UNKNOWN);
    }

    @Test
    void onAMachineTheAgentLeavesTheMessageAfterTheGreetingAndHangsUpWithVoicemail() throws Exception {
        AgentSession session = outboundCall(MachineDetection.LEAVE_MESSAGE, "Hi, this is Acme. Your parcel arrives tomorrow. Goodbye.");

        TurnResult turn = session.callerSaid(said(GREETING, 4000)).get(5, TimeUnit.SECONDS);

        assertThat(turn.spoken()).containsExactly("Hi, this is Acme. Your parcel arrives tomorrow. Goodbye.");
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text)
                .containsExactly("Hi, this is Acme. Your parcel arrives tomorrow. Goodbye.");
        assertThat(published.transcripts).extracting(s -> s.getRole().name()).containsExactly("USER", "SYSTEM", "AGENT");
        assertThat(published.transcripts.get(1).getText()).startsWith("answered by an answering machine");
        assertThat(published.events).extracting(e -> e.getPayload()).filteredOn(AnswerClassified.class::isInstance)
                .singleElement().satisfies(p -> assertThat(((AnswerClassified) p).getAnsweredBy()).isEqualTo(AnsweredBy.MACHINE));
        HangupRequested hangup = (HangupRequested) published.callControl.getFirst().getPayload();
        assertThat(hangup.getReason()).isEqualTo(EndReason.VOICEMAIL);
        assertThat(session.state()).isEqualTo(AgentSession.State.ENDING);
    }

    @Test
    void onAMachineWithHangupTheAgentSaysNothingAndHangsUp() throws Exception {
        AgentSession session = outboundCall(MachineDetection.HANGUP, null);

        session.callerSaid(said(GREETING, 4000)).get(5, TimeUnit.SECONDS);

        assertThat(transport.outbox()).isEmpty();
        assertThat(((HangupRequested) published.callControl.getFirst().getPayload()).getReason()).isEqualTo(EndReason.ANSWERING_MACHINE);
    }

    @Test
    void aPersonGetsTheConversationAndTheVerdictIsRecordedOnce() throws Exception {
        AgentSession session = outboundCall(MachineDetection.HANGUP, null);

        TurnResult turn = session.callerSaid(said("Hello?", 500)).get(5, TimeUnit.SECONDS);
        session.callerSaid(said("Yes, leave a message with my neighbour please.", 2500)).get(5, TimeUnit.SECONDS);

        assertThat(turn.spoken()).containsExactly("Hi Sam, this is Acme about your delivery.");
        assertThat(published.events).extracting(e -> e.getPayload()).filteredOn(AnswerClassified.class::isInstance)
                .singleElement().satisfies(p -> assertThat(((AnswerClassified) p).getAnsweredBy()).isEqualTo(AnsweredBy.HUMAN));
        assertThat(published.callControl).as("a person's later words are never screened").isEmpty();
        assertThat(session.state()).isEqualTo(AgentSession.State.ACTIVE);
    }
}
