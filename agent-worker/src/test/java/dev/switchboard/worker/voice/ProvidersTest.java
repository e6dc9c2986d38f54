package dev.switchboard.worker.voice;

import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.testing.speech.FakeDeepgramServer;
import dev.switchboard.worker.voice.fakes.FakeOpenAiAudioServer;
import dev.switchboard.testing.speech.Tones;
import dev.switchboard.worker.voice.stt.DeepgramStreaming;
import dev.switchboard.worker.voice.stt.OpenAiTranscription;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.tts.DeepgramSpeech;
import dev.switchboard.worker.voice.tts.OpenAiSpeech;
import dev.switchboard.worker.voice.tts.TextToSpeech;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The speech providers against fakes that speak their real wire protocols. */
class ProvidersTest {
    private static final String KEY = "dg-key";
    private static FakeOpenAiAudioServer openAi;
    private static FakeDeepgramServer deepgram;

    @BeforeAll
    static void start() throws Exception {
        openAi = new FakeOpenAiAudioServer();
        deepgram = new FakeDeepgramServer(KEY);
    }

    @AfterAll
    static void stop() {
        openAi.close();
        deepgram.close();
    }

    private static MonoAudio frames(long millis) {
        return MonoAudio.fromLittleEndianBytes(Tones.pcm(16_000, millis, 300), 0, (int) (32 * millis), 16_000);
    }

    /** Collects what a synthesizer produced, per sentence, in milliseconds of audio. */
    private static final class Collected implements TextToSpeech.AudioSink {
        final Map<Integer, Long> micros = new ConcurrentHashMap<>();
        final List<Integer> order = new CopyOnWriteArrayList<>();
        volatile int rate;

        @Override
        public void accept(int sentence, MonoAudio frame) {
            rate = frame.sampleRate();
            micros.merge(sentence, frame.durationMicros(), Long::sum);
            if (order.isEmpty() || order.getLast() != sentence) {
                order.add(sentence);
            }
        }

        long millis(int sentence) {
            return micros.getOrDefault(sentence, 0L) / 1000;
        }
    }

    @Test
    void openAiSpeechStreamsEachSentenceInOrderAtThePipelineRate() throws Exception {
        var tts = new OpenAiSpeech(new OpenAiSpeech.Settings(OpenAiSpeech.Settings.speechEndpoint(URI.create(openAi.baseUrl())),
                Optional.of("k"), "gpt-4o-mini-tts", "alloy", 48_000, Duration.ofSeconds(10)));
        var collected = new Collected();

        TextToSpeech.Utterance utterance = tts.open(collected);
        utterance.say("Hello there.");
        utterance.say("How can I help you today?");
        utterance.finish();
        utterance.done().get(10, TimeUnit.SECONDS);

        assertThat(collected.order).containsExactly(0, 1);
        assertThat(collected.rate).isEqualTo(48_000);
        assertThat(collected.millis(0)).isCloseTo("Hello there.".length() * Tones.MILLIS_PER_CHAR, within(25L));
        assertThat(collected.millis(1)).isCloseTo("How can I help you today?".length() * Tones.MILLIS_PER_CHAR, within(25L));
        assertThat(openAi.speechRequests()).extracting(r -> r.path("response_format").asText()).containsOnly("pcm");
        assertThat(openAi.speechRequests().getLast().path("voice").asText()).isEqualTo("alloy");
    }

    @Test
    void cancellingSpeechStopsTheAudio() throws Exception {
        openAi.firstByteDelay(300);
        try {
            var tts = new OpenAiSpeech(new OpenAiSpeech.Settings(OpenAiSpeech.Settings.speechEndpoint(URI.create(openAi.baseUrl())),
                    Optional.empty(), "tts-1", "alloy", 16_000, Duration.ofSeconds(10)));
            var collected = new Collected();
            TextToSpeech.Utterance utterance = tts.open(collected);
            utterance.say("This sentence will never be heard at all.");
            utterance.cancel();
            utterance.done().get(5, TimeUnit.SECONDS);
            Thread.sleep(500);
            assertThat(collected.micros).isEmpty();
        } finally {
            openAi.firstByteDelay(0);
        }
    }

    @Test
    void openAiTranscriptionUploadsEachUtteranceWithPreRoll() throws Exception {
        var stt = new OpenAiTranscription(new OpenAiTranscription.Settings(
                OpenAiTranscription.Settings.transcriptionsEndpoint(URI.create(openAi.baseUrl())), Optional.of("k"), "whisper-1",
                Optional.of("en"), Duration.ofSeconds(10)));
        openAi.queueTranscript("Where is my order?");
        var result = new CompletableFuture<SpeechToText.Result>();
        try (SpeechToText.Stream stream = stt.open(listener(result))) {
            for (int i = 0; i < 50; i++) {
                stream.push(frames(20)); // a second of silence before speech
            }
            stream.speechStarted();
            for (int i = 0; i < 60; i++) {
                stream.push(frames(20));
            }
            stream.speechEnded();
            SpeechToText.Result transcript = result.get(10, TimeUnit.SECONDS);
            assertThat(transcript.text()).isEqualTo("Where is my order?");
            assertThat(transcript.endMs()).isEqualTo(2200);
            assertThat(transcript.startMs()).isCloseTo(700, within(20L)); // 300 ms of pre-roll
        }
        var upload = openAi.uploads().getLast();
        assertThat(upload.model()).isEqualTo("whisper-1");
        assertThat(upload.sampleRate()).isEqualTo(16_000);
        assertThat(upload.audioMillis()).isCloseTo(1500, within(25L));
    }

    @Test
    void deepgramStreamsAudioAndFinalizesWhenTheCallerStops() throws Exception {
        var stt = new DeepgramStreaming(new DeepgramStreaming.Settings(URI.create(deepgram.baseUrl()), KEY, "nova-3", "en", 300, true));
        deepgram.queueTranscript("I need help with my bill");
        var result = new CompletableFuture<SpeechToText.Result>();
        List<String> interims = new CopyOnWriteArrayList<>();
        try (SpeechToText.Stream stream = stt.open(new SpeechToText.Listener() {
            @Override
            public void interim(String text, float confidence) {
                interims.add(text);
            }

            @Override
            public void finalResult(SpeechToText.Result r) {
                result.complete(r);
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        })) {
            for (int i = 0; i < 50; i++) {
                stream.push(frames(20));
            }
            stream.speechEnded();
            SpeechToText.Result transcript = result.get(10, TimeUnit.SECONDS);
            assertThat(transcript.text()).isEqualTo("I need help with my bill");
            assertThat(transcript.confidence()).isCloseTo(0.93f, within(0.001f));
            assertThat(transcript.endOfTurn()).isTrue();
            assertThat(transcript.endMs() - transcript.startMs()).isCloseTo(1000, within(5L));
            assertThat(interims).isNotEmpty();
        }
        assertThat(deepgram.audioBytesReceived()).isGreaterThanOrEqualTo(50 * 640);
        assertThat(deepgram.listenQueries().getLast()).contains("model=nova-3", "encoding=linear16", "sample_rate=16000",
                "interim_results=true", "endpointing=300");
    }

    @Test
    void deepgramSpeechMarksEachSentencesAudio() throws Exception {
        var tts = new DeepgramSpeech(new DeepgramSpeech.Settings(URI.create(deepgram.baseUrl()), KEY, "aura-2-thalia-en", 16_000));
        var collected = new Collected();

        TextToSpeech.Utterance utterance = tts.open(collected);
        utterance.say("Good morning.");
        utterance.say("Your order has shipped.");
        utterance.finish();
        utterance.done().get(10, TimeUnit.SECONDS);

        assertThat(collected.order).containsExactly(0, 1);
        assertThat(collected.millis(0)).isCloseTo("Good morning.".length() * Tones.MILLIS_PER_CHAR, within(25L));
        assertThat(collected.millis(1)).isCloseTo("Your order has shipped.".length() * Tones.MILLIS_PER_CHAR, within(25L));
        assertThat(deepgram.spoken()).contains("Good morning.", "Your order has shipped.");
    }

    private static SpeechToText.Listener listener(CompletableFuture<SpeechToText.Result> result) {
        return new SpeechToText.Listener() {
            @Override
            public void interim(String text, float confidence) {
            }

            @Override
            public void finalResult(SpeechToText.Result r) {
                result.complete(r);
            }

            @Override
            public void failed(Throwable error) {
                result.completeExceptionally(error);
            }
        };
    }
}
