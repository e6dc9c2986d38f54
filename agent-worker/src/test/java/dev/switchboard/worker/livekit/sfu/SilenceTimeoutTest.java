package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.worker.livekit.LiveKitCallRunner;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The silence timeout on a LiveKit call, on the real media engine against the fake SFU and the real broker: a caller
 * who says nothing is asked once whether they are still there, then told goodbye and hung up on; a caller who answers
 * the question starts the count again. No call controller runs here: a hang-up ends the session once its confirmation
 * wait runs out, with the hang-up's reason.
 */
@QuarkusTest
@TestProfile(SilenceTimeoutTest.QuickSilence.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeSpeechResource.class, scope = TestResourceScope.GLOBAL)
class SilenceTimeoutTest {
    // Short, as the lines (the fake TTS speaks 60 ms per character) and the confirmation wait: each goes by whole in the test.
    private static final Duration SILENCE = Duration.ofSeconds(2);
    private static final String PROMPT = "Are you still there?";
    private static final String GOODBYE = "I cannot hear you. Goodbye.";
    /** Long enough for whole silence timeouts to go by between the first line and the hang-up, even on a slow machine. */
    private static final Duration WAIT = Duration.ofSeconds(60);

    public static class QuickSilence implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.agent.limits.silence-timeout", SILENCE.toSeconds() + "s",
                    "switchboard.agent.limits.silence-prompt", PROMPT,
                    "switchboard.agent.limits.silence-goodbye", GOODBYE,
                    "switchboard.agent.hangup-confirmation-timeout", "1s");
        }
    }

    @Inject
    LiveKitCallRunner runner;

    private static FakeLlmControl llm() {
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        return llm;
    }

    private SfuCall startCall(String name, String callerNumber) throws Exception {
        return SfuCall.start(runner, name, FakeSfuControl.ParticipantSpec.sipCaller(callerNumber), null);
    }

    /** What the agent said in the call, in order (every line is published before SessionEnded). */
    private static List<String> agentSaid(SfuCall call) {
        return call.transcripts().drain(Duration.ofMillis(500)).stream()
                .filter(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT && s.getIsFinal())
                .map(TranscriptSegment::getText).toList();
    }

    private static SessionEnded awaitEnd(SfuCall call) throws Exception {
        var ended = (SessionEnded) call.events().await(e -> call.room().equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT)
                .getPayload();
        call.job().ended().get(30, TimeUnit.SECONDS);
        return ended;
    }

    @Test
    void aCallerWhoSaysNothingIsAskedOnceThenToldGoodbyeAndHungUpOn() throws Exception {
        llm();
        try (var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             SfuCall call = startCall("silent", "+15550120")) {
            SessionEvent started = call.events().await(e -> call.room().equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);

            // Nobody says a word (the caller's track plays silence, and the agent waits for the caller to speak first).
            CallControlRequest request = control.await(r -> call.room().equals(r.getRoom()) && r.getPayload() instanceof HangupRequested, WAIT);
            var hangup = (HangupRequested) request.getPayload();
            assertThat(hangup.getReason()).isEqualTo(EndReason.SILENCE_TIMEOUT);
            assertThat(hangup.getDetail()).contains("said nothing for " + SILENCE.toSeconds() + " s");
            assertThat(hangup.getSessionId()).isEqualTo(started.getSessionId());
            assertThat(request.getIssuer().getKind()).as("the hang-up is the system's").isEqualTo(IssuerKind.SYSTEM);
            assertThat(request.getIssuer().getDisplayName()).isEqualTo("call limits");

            SessionEnded ended = awaitEnd(call);
            assertThat(ended.getReason()).isEqualTo(EndReason.SILENCE_TIMEOUT);
            assertThat(ended.getEndedBy().getKind()).isEqualTo(IssuerKind.SYSTEM);
            assertThat(agentSaid(call)).as("asked once, then goodbye").containsExactly(PROMPT, GOODBYE);
            // Both lines were spoken into the room (the fake TTS speaks 60 ms per character) and captioned there.
            assertThat(call.agentAudioMs()).as("ms of agent audio the room heard")
                    .isGreaterThanOrEqualTo((PROMPT.length() + GOODBYE.length()) * 60L - 600);
            assertThat(call.control().data().streams("lk.transcription"))
                    .anySatisfy(c -> assertThat(c.content()).contains(PROMPT))
                    .anySatisfy(c -> assertThat(c.content()).contains(GOODBYE));
        }
    }

    @Test
    void aCallerWhoTalksAfterThePromptStartsTheSilenceAgain() throws Exception {
        var llm = llm();
        llm.replyText("Let me look that up.");
        // One breath of over four seconds, twice the silence timeout: the caller talking is not silence, even before
        // their words are recognized. Made before the call, so the caller answers the prompt at once.
        Path answer = SfuCall.speech("I am calling about the parcel I ordered last week which still has not arrived");
        try (var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new CallControlRequestDeserializer());
             SfuCall call = startCall("silence-reset", "+15550121")) {
            TranscriptSegment prompt = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(prompt.getText()).isEqualTo(PROMPT);
            call.callerPlays(answer);

            ConsumerRecord<String, TranscriptSegment> heard = call.transcripts().awaitRecord(r -> call.room().equals(r.value().getRoom())
                    && r.value().getRole() == SpeakerRole.USER && r.value().getIsFinal(), WAIT);
            assertThat(heard.value().getText()).isEqualTo(FakeSpeechResource.CALLER_SAYS);

            // Heard, the caller may be silent a full timeout again before being asked again, and another before the goodbye.
            ConsumerRecord<String, CallControlRequest> request = control.awaitRecord(r -> call.room().equals(r.key())
                    && r.value().getPayload() instanceof HangupRequested, WAIT);
            assertThat(((HangupRequested) request.value().getPayload()).getReason()).isEqualTo(EndReason.SILENCE_TIMEOUT);
            assertThat(request.timestamp() - heard.timestamp()).as("ms from the caller's words to the hang-up")
                    .isGreaterThanOrEqualTo(2 * SILENCE.toMillis());
            assertThat(awaitEnd(call).getReason()).isEqualTo(EndReason.SILENCE_TIMEOUT);
            List<String> said = agentSaid(call);
            assertThat(said.getFirst()).isEqualTo(PROMPT);
            assertThat(said).as("the answer, then asked again before the goodbye").contains("Let me look that up.")
                    .endsWith(PROMPT, GOODBYE);
            assertThat(said).filteredOn(PROMPT::equals).hasSize(2);
            assertThat(said).filteredOn(GOODBYE::equals).hasSize(1);
        }
    }
}
