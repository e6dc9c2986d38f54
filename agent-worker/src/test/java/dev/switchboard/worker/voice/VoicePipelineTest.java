package dev.switchboard.worker.voice;

import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.worker.voice.vad.SileroVad;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Whole turns through the voice pipeline, in real time: speech audio in, the real VAD, streaming recognition and
 * synthesis over their wire protocols, the LLM, audio played out; turn detection, barge-in, goodbye-then-hang-up
 * and a caller hanging up mid-sentence.
 */
class VoicePipelineTest {
    private static SileroVad.Model vad;
    private InProcessCall call;
    private FakeLlmControl llm;

    @BeforeAll
    static void loadVad() {
        vad = dev.switchboard.worker.voice.vad.VadModels.loadOrSkip();
    }

    @AfterAll
    static void unloadVad() {
        vad.close();
    }

    @BeforeEach
    void startCall() throws Exception {
        call = new InProcessCall(vad, InProcessCall.Settings.defaults());
        llm = new FakeLlmControl(call.llmServer.baseUrl());
    }

    @AfterEach
    void endCall() {
        call.close();
    }

    @Test
    void aTurnIsDetectedFromSpeechAndTheAnswerIsPlayedOut() throws Exception {
        call.deepgram.queueTranscript("Where is my order?");
        llm.replyText("Your order shipped yesterday. It arrives tomorrow.");

        call.say(SpeechAudio.speak("Where is my order?"));

        awaitTrue(() -> call.published.transcripts.stream().anyMatch(s -> s.getRole() == SpeakerRole.AGENT), Duration.ofSeconds(20));
        TranscriptSegment caller = call.published.transcripts.stream().filter(s -> s.getRole() == SpeakerRole.USER && s.getIsFinal()).findFirst().orElseThrow();
        TranscriptSegment agent = call.published.transcripts.stream().filter(s -> s.getRole() == SpeakerRole.AGENT).findFirst().orElseThrow();
        assertThat(caller.getText()).isEqualTo("Where is my order?");
        assertThat(caller.getConfidence()).isCloseTo(0.93f, within(0.01f));
        assertThat(caller.getEndMs()).isGreaterThan(caller.getStartMs());
        assertThat(call.published.transcripts).anyMatch(s -> s.getRole() == SpeakerRole.USER && !s.getIsFinal()
                && s.getSegmentId().equals(caller.getSegmentId())); // an interim version, superseded by the final
        assertThat(agent.getText()).isEqualTo("Your order shipped yesterday. It arrives tomorrow.");
        assertThat(agent.getInterrupted()).isFalse();
        // The answer was really played: about 60 ms per character of audible audio.
        long audibleMs = call.audible().size() * 10L;
        assertThat(audibleMs).isCloseTo("Your order shipped yesterday. It arrives tomorrow.".length() * 60L, within(300L));
        assertThat(llm.lastMessages()).anyMatch(m -> m.path("content").asText().equals("Where is my order?"));
        assertThat(call.latencies).singleElement().satisfies(l -> {
            assertThat(l.firstPlayedMs()).isGreaterThanOrEqualTo(l.firstAudioMs());
            assertThat(l.firstAudioMs()).isGreaterThanOrEqualTo(l.firstTokenMs());
        });
    }

    @Test
    void theCallerBargingInStopsPlayoutAndKeepsOnlyTheWordsHeard() throws Exception {
        String longAnswer = "Let me tell you everything about our shipping options. We have standard shipping that takes five days. "
                + "We also have express shipping which arrives in two days. And there is overnight delivery for urgent orders.";
        call.deepgram.queueTranscript("Tell me about shipping.");
        call.deepgram.queueTranscript("Stop, I just need express.");
        llm.replyText(longAnswer).replyText("Express it is.");

        call.say(SpeechAudio.speak("Tell me about shipping."));
        awaitTrue(() -> call.audible().size() > 150, Duration.ofSeconds(20)); // 1.5 s of the answer played
        long bargeIn = System.nanoTime();
        call.say(SpeechAudio.speak("Stop, I just need express."));

        awaitTrue(() -> call.published.transcripts.stream().anyMatch(s -> s.getRole() == SpeakerRole.AGENT && s.getInterrupted()), Duration.ofSeconds(10));
        TranscriptSegment cut = call.published.transcripts.stream().filter(s -> s.getRole() == SpeakerRole.AGENT && s.getInterrupted()).findFirst().orElseThrow();
        assertThat(cut.getGeneratedText()).isEqualTo(longAnswer);
        assertThat(cut.getText()).isNotEmpty();
        assertThat(longAnswer).startsWith(cut.getText());
        assertThat(cut.getText().length()).isLessThan(longAnswer.length() / 2);
        // Playout stopped within a bound of the caller starting to talk: VAD onset + minInterruption + margin.
        long lastLoudOfFirstAnswer = call.audible().stream().filter(h -> h.nanos() < bargeIn + 3_000_000_000L)
                .mapToLong(InProcessCall.Heard::nanos).filter(n -> n > bargeIn).max().orElse(bargeIn);
        assertThat((lastLoudOfFirstAnswer - bargeIn) / 1_000_000).as("ms of agent audio after the caller started").isLessThan(900);
        // The agent then answered the new turn, and its context holds only what was heard of the first answer.
        awaitTrue(() -> call.published.transcripts.stream().anyMatch(s -> s.getRole() == SpeakerRole.AGENT && s.getText().equals("Express it is.")),
                Duration.ofSeconds(20));
        assertThat(llm.lastMessages()).anyMatch(m -> m.path("role").asText().equals("assistant") && m.path("content").asText().equals(cut.getText()));
    }

    @Test
    void theGoodbyeIsPlayedToTheEndBeforeTheHangUpIsRequested() throws Exception {
        call.deepgram.queueTranscript("That's all, thanks.");
        llm.replyWithTool("Thank you for calling. Have a wonderful day. Goodbye!", "end_call", Map.of("reason", "caller is done"));

        call.say(SpeechAudio.speak("That's all, thanks."));

        awaitTrue(() -> !call.published.callControl.isEmpty(), Duration.ofSeconds(30));
        assertThat(call.published.callControl.getFirst().getPayload()).isInstanceOf(HangupRequested.class);
        long hangupAt = call.published.callControlNanos.getFirst();
        long lastAudible = call.audible().stream().mapToLong(InProcessCall.Heard::nanos).max().orElseThrow();
        assertThat(lastAudible).as("the goodbye's last audio played before the hang-up").isLessThan(hangupAt);
        long audibleMs = call.audible().size() * 10L;
        assertThat(audibleMs).isCloseTo("Thank you for calling. Have a wonderful day. Goodbye!".length() * 60L, within(300L));
    }

    @Test
    void aCallerHangingUpMidSentenceStillGetsAFinalLine() throws Exception {
        call.deepgram.queueTranscript("Actually I also wanted to ask");
        call.say(SpeechAudio.speak("Actually I also wanted to ask about"));
        awaitTrue(() -> call.saying() == false, Duration.ofSeconds(10)); // the audio has been sent, no silence after it

        call.transport.callerLeft().get(10, java.util.concurrent.TimeUnit.SECONDS);

        List<TranscriptSegment> finals = call.published.transcripts.stream().filter(s -> s.getRole() == SpeakerRole.USER && s.getIsFinal()).toList();
        assertThat(finals).extracting(TranscriptSegment::getText).containsExactly("Actually I also wanted to ask");
        assertThat(call.published.events.getLast().getPayload()).isInstanceOfSatisfying(SessionEnded.class,
                e -> assertThat(e.getUsage().getSttAudioSeconds()).isGreaterThan(1.0));
        assertThat(call.published.order.getLast()).isEqualTo("event:SessionEnded");
    }

    private static void awaitTrue(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within " + timeout);
            }
            Thread.sleep(20);
        }
    }
}
