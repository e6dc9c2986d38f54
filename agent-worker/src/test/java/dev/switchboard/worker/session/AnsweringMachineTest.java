package dev.switchboard.worker.session;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.simulated.SimulatedTransport;
import dev.switchboard.worker.tools.EndCallTool;
import dev.switchboard.worker.tools.Toolbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
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
    /** What the model was asked, in order. */
    private final List<LlmRequest> asked = new CopyOnWriteArrayList<>();
    private final LlmClient model = new LlmClient() {
        @Override
        public LlmResponse complete(LlmRequest request, TextListener onText) {
            asked.add(request);
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
        return said(text, 100, durationMs);
    }

    private static CallerSpeech said(String text, long startMs, long durationMs) {
        return new CallerSpeech(UUID.randomUUID().toString(), text, startMs, startMs + durationMs, 0.9f, "en");
    }

    /** An outbound call whose screen takes a person to have answered after {@code greetingPause} of quiet. */
    private AgentSession outboundCall(MachineDetection mode, String voicemailMessage, Duration greetingPause) {
        var identity = new AgentSession.Identity("room-amd", "session-amd", "worker-1", "agent", Instant.now());
        AgentSession session = new AgentSession(identity, "You are a test agent.", transport, model, Toolbox.of(new EndCallTool()),
                published, new TestSessions.Settings(Duration.ofSeconds(30), greetingPause), Clock.systemUTC(), timers, s -> { });
        session.screenAnswer(mode, voicemailMessage);
        return session;
    }

    private AgentSession outboundCall(MachineDetection mode, String voicemailMessage) {
        return outboundCall(mode, voicemailMessage, Duration.ofMillis(300));
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

    @Test
    void aGreetingThatGoesOnAfterABreathIsScreenedAsAWholeAndIsAMachine() throws Exception {
        AgentSession session = outboundCall(MachineDetection.LEAVE_MESSAGE, "Hi Sam, Acme here: your parcel arrives tomorrow.");

        // A short, person-like start is held; the rest of the recorded greeting follows within the pause.
        var start = session.callerSaid(said("Hi, this is Sam.", 100, 1200));
        var rest = session.callerSaid(said("Please leave a message after the tone.", 1700, 2000));

        assertThat(start.get(5, TimeUnit.SECONDS).spoken()).as("the start of the greeting gets no answer of its own").isEmpty();
        assertThat(rest.get(5, TimeUnit.SECONDS).spoken()).containsExactly("Hi Sam, Acme here: your parcel arrives tomorrow.");
        assertThat(asked).as("the model never answers a machine").isEmpty();
        assertThat(published.transcripts).extracting(t -> t.getRole().name() + ": " + t.getText()).containsExactly(
                "USER: Hi, this is Sam.", "USER: Please leave a message after the tone.",
                "SYSTEM: answered by an answering machine (a recorded message: \"leave a message\")",
                "AGENT: Hi Sam, Acme here: your parcel arrives tomorrow.");
        assertThat(((HangupRequested) published.callControl.getFirst().getPayload()).getReason()).isEqualTo(EndReason.VOICEMAIL);
    }

    @Test
    void aPersonIsAnsweredOnlyOnceTheyPauseAndEverythingTheySaidIsOneTurn() throws Exception {
        AgentSession session = outboundCall(MachineDetection.HANGUP, null, Duration.ofSeconds(1));

        var hello = session.callerSaid(said("Hello?", 100, 500));
        var who = session.callerSaid(said("Who is this?", 900, 700));
        assertThat(asked).as("nothing is answered while the callee may still be a greeting").isEmpty();

        assertThat(hello.get(5, TimeUnit.SECONDS).spoken()).isEmpty();
        assertThat(who.get(5, TimeUnit.SECONDS).spoken()).containsExactly("Hi Sam, this is Acme about your delivery.");
        assertThat(asked).singleElement().satisfies(request -> assertThat(request.messages().getLast())
                .isEqualTo(new ChatMessage.User("Hello? Who is this?")));
        assertThat(published.events).extracting(e -> e.getPayload()).filteredOn(AnswerClassified.class::isInstance)
                .singleElement().satisfies(p -> assertThat(((AnswerClassified) p).getAnsweredBy()).isEqualTo(AnsweredBy.HUMAN));
        assertThat(published.callControl).isEmpty();
    }

    @Test
    void theCalleeSpeakingAgainWithinThePauseKeepsTheVerdictOpenUntilTheirWordsAreHeard() throws Exception {
        AgentSession session = outboundCall(MachineDetection.HANGUP, null, Duration.ofSeconds(1));

        var start = session.callerSaid(said("Hi, this is Sam.", 100, 1200));
        Thread.sleep(600);
        // The recognizer hears more (an interim transcript): the pause starts over, so the words are screened with the rest.
        session.callerSpeaking(said("I can't", 1900, 300));
        Thread.sleep(600); // past the first pause, well within the second
        var rest = session.callerSaid(said("I can't take your call right now.", 1900, 1500));

        assertThat(start.get(5, TimeUnit.SECONDS).spoken()).isEmpty();
        rest.get(5, TimeUnit.SECONDS);
        assertThat(published.events).extracting(e -> e.getPayload()).filteredOn(AnswerClassified.class::isInstance)
                .singleElement().satisfies(p -> assertThat(((AnswerClassified) p).getAnsweredBy()).isEqualTo(AnsweredBy.MACHINE));
        assertThat(((HangupRequested) published.callControl.getFirst().getPayload()).getReason()).isEqualTo(EndReason.ANSWERING_MACHINE);
        assertThat(asked).isEmpty();
    }
}
