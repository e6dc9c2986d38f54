package dev.switchboard.worker.voice;

import dev.switchboard.worker.session.CallerSpeech;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.vad.VoiceActivityDetector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Turn detection on its own: a VAD that hears any loud window as speech, a recognizer the test speaks for. */
class TurnDetectorTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final ScriptedRecognizer stt = new ScriptedRecognizer();
    private final RecordingHooks hooks = new RecordingHooks();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private TurnDetector detector(Duration minInterruption, Duration lastWordsWait) {
        var settings = new InProcessCall.Settings(0.5f, Duration.ofMillis(60), Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofSeconds(3), minInterruption, lastWordsWait);
        var detector = new TurnDetector(stt, new LoudnessVad(), settings, timers);
        detector.start("room-1", hooks);
        return detector;
    }

    @Test
    void aTurnEndsOnceTheCallerIsQuietAndTheTranscriptIsFinal() throws Exception {
        TurnDetector detector = detector(Duration.ofMillis(250), Duration.ofSeconds(2));

        detector.onCallerAudio(audio(300, true));
        stt.listener.interim("Where is", 0.7f);
        detector.onCallerAudio(audio(200, false)); // the VAD hears the caller stop
        assertThat(stt.speechEnded.get()).isEqualTo(1);
        Thread.sleep(100);
        assertThat(hooks.turns).as("no turn before the final transcript").isEmpty();

        stt.listener.finalResult(new SpeechToText.Result("Where is my order?", 0.9f, "en", 0, 300, true));

        CallerSpeech turn = hooks.nextTurn.get(5, TimeUnit.SECONDS);
        assertThat(turn.text()).isEqualTo("Where is my order?");
        assertThat(turn.language()).isEqualTo("en");
        assertThat(turn.endMs()).isGreaterThan(turn.startMs());
        assertThat(hooks.speaking).extracting(CallerSpeech::text).containsExactly("Where is", "Where is my order?");
        assertThat(hooks.speaking).extracting(CallerSpeech::segmentId).containsOnly(turn.segmentId());
        assertThat(detector.sttAudioSeconds()).isEqualTo(0.5);
    }

    @Test
    void theCallerTalkingOverTheAgentBargesInOnce() {
        TurnDetector detector = detector(Duration.ZERO, Duration.ofSeconds(2));

        hooks.agentSpeaking = false;
        detector.onCallerAudio(audio(300, true));
        assertThat(hooks.bargeIns.get()).as("nothing to interrupt").isZero();

        detector.onCallerAudio(audio(200, false));
        hooks.agentSpeaking = true;
        detector.onCallerAudio(audio(500, true));
        assertThat(hooks.bargeIns.get()).isEqualTo(1);
    }

    @Test
    void theLastWordsAreTakenAsSoonAsTheirFinalTranscriptArrives() throws Exception {
        TurnDetector detector = detector(Duration.ofMillis(250), Duration.ofMinutes(5));
        detector.onCallerAudio(audio(300, true));
        stt.listener.interim("Actually I", 0.6f);

        CompletableFuture<Optional<CallerSpeech>> last = CompletableFuture.supplyAsync(detector::lastWords);
        Thread.sleep(100);
        assertThat(last).as("waiting for the recognizer").isNotDone();
        stt.listener.finalResult(new SpeechToText.Result("Actually I wanted to ask", 0.8f, "en", 0, 300, false));

        // Well before the five minutes the wait allows: the final transcript ends the wait.
        assertThat(last.get(10, TimeUnit.SECONDS)).get().extracting(CallerSpeech::text).isEqualTo("Actually I wanted to ask");
        assertThat(stt.speechEnded.get()).as("the recognizer was asked to finish").isEqualTo(1);
    }

    @Test
    void withoutAFinalTranscriptTheInterimWordsAreKept() {
        TurnDetector detector = detector(Duration.ofMillis(250), Duration.ofMillis(200));
        detector.onCallerAudio(audio(300, true));
        stt.listener.interim("Actually I", 0.6f);

        assertThat(detector.lastWords()).get().extracting(CallerSpeech::text).isEqualTo("Actually I");
    }

    @Test
    void aCallerWhoSaidNothingLeavesNoLastWords() {
        TurnDetector detector = detector(Duration.ofMillis(250), Duration.ofMinutes(5));
        detector.onCallerAudio(audio(300, false));

        assertThat(detector.lastWords()).isEmpty();
    }

    /** 16 kHz audio: a loud square wave, or silence. */
    private static MonoAudio audio(long millis, boolean loud) {
        short[] samples = new short[(int) (16 * millis)];
        if (loud) {
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((i / 20) % 2 == 0 ? 12_000 : -12_000);
            }
        }
        return new MonoAudio(samples, 16_000);
    }

    private static final class LoudnessVad implements VoiceActivityDetector {
        @Override
        public int windowSamples() {
            return 512;
        }

        @Override
        public float speechProbability(float[] window) {
            float peak = 0;
            for (float sample : window) {
                peak = Math.max(peak, Math.abs(sample));
            }
            return peak > 0.1f ? 1f : 0f;
        }

        @Override
        public void close() {
        }
    }

    /** A recognizer whose results the test gives. */
    private static final class ScriptedRecognizer implements SpeechToText {
        volatile Listener listener;
        final AtomicInteger speechEnded = new AtomicInteger();

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public Stream open(Listener listener) {
            this.listener = listener;
            return new Stream() {
                @Override
                public void push(MonoAudio frame) {
                }

                @Override
                public void speechStarted() {
                }

                @Override
                public void speechEnded() {
                    speechEnded.incrementAndGet();
                }

                @Override
                public void close() {
                }
            };
        }
    }

    private static final class RecordingHooks implements TurnDetector.Hooks {
        final long start = System.nanoTime();
        volatile boolean agentSpeaking;
        final AtomicInteger bargeIns = new AtomicInteger();
        final List<CallerSpeech> speaking = new CopyOnWriteArrayList<>();
        final List<CallerSpeech> turns = new CopyOnWriteArrayList<>();
        final CompletableFuture<CallerSpeech> nextTurn = new CompletableFuture<>();

        @Override
        public long elapsedMs() {
            return (System.nanoTime() - start) / 1_000_000;
        }

        @Override
        public boolean agentSpeaking() {
            return agentSpeaking;
        }

        @Override
        public void bargeIn() {
            bargeIns.incrementAndGet();
        }

        @Override
        public void callerSpeaking(CallerSpeech soFar) {
            speaking.add(soFar);
        }

        @Override
        public void turnEnded(CallerSpeech turn, long speechEndedNanos) {
            turns.add(turn);
            nextTurn.complete(turn);
        }
    }
}
