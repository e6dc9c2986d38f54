package dev.switchboard.worker.voice;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.events.Transport;
import dev.switchboard.testing.llm.FakeLlmServer;
import dev.switchboard.worker.llm.OpenAiCompatibleLlmClient;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.RecordingPublisher;
import dev.switchboard.worker.session.TestSessions;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.testing.speech.FakeDeepgramServer;
import dev.switchboard.worker.voice.fakes.FakeOpenAiAudioServer;
import dev.switchboard.worker.voice.stt.DeepgramStreaming;
import dev.switchboard.worker.voice.tts.OpenAiSpeech;
import dev.switchboard.worker.voice.vad.SileroVad;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A voice call without a network: a "microphone" feeding the caller's audio in real time (silence when there
 * is nothing to say), the agent's audio played out in real time to a "speaker" that records what it heard, the
 * real Silero VAD, and fake Deepgram / OpenAI / LLM servers on loopback speaking the real protocols.
 */
final class InProcessCall implements AutoCloseable {
    static final String DEEPGRAM_KEY = "dg-test";

    /** One 10 ms tick the caller's speaker played: when, and how loud. */
    record Heard(long nanos, double dbfs) {
    }

    final FakeLlmServer llmServer = new FakeLlmServer();
    final FakeOpenAiAudioServer audioServer;
    final FakeDeepgramServer deepgram;
    final RecordingPublisher published = new RecordingPublisher();
    final List<Heard> heard = new CopyOnWriteArrayList<>();
    final List<TurnLatency> latencies = new CopyOnWriteArrayList<>();
    final VoiceTransport transport;
    final AgentSession session;
    private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
    private final RealtimeAudioOutput speaker;
    private final ConcurrentLinkedQueue<MonoAudio> toSay = new ConcurrentLinkedQueue<>();
    private final Thread microphone;
    private volatile boolean closed;

    InProcessCall(SileroVad.Model vadModel, VoiceSettings settings) throws Exception {
        audioServer = new FakeOpenAiAudioServer();
        deepgram = new FakeDeepgramServer(DEEPGRAM_KEY);
        speaker = new RealtimeAudioOutput(24_000, 200, frame -> heard.add(new Heard(System.nanoTime(), frame.levelDbfs())));
        var tts = new OpenAiSpeech(new OpenAiSpeech.Settings(OpenAiSpeech.Settings.speechEndpoint(URI.create(audioServer.baseUrl())),
                Optional.of("k"), "tts-1", "alloy", 24_000, Duration.ofSeconds(10)));
        var stt = new DeepgramStreaming(new DeepgramStreaming.Settings(URI.create(deepgram.baseUrl()), DEEPGRAM_KEY, "nova-3", "en", 300, true));
        var llm = new OpenAiCompatibleLlmClient(new OpenAiCompatibleLlmClient.Settings(
                OpenAiCompatibleLlmClient.chatCompletionsEndpoint(URI.create(llmServer.baseUrl())), "fake", Optional.empty(),
                "Authorization", Duration.ofSeconds(10), 0, true), new ObjectMapper());
        transport = new VoiceTransport(Transport.LIVEKIT, "sip_+15550100", speaker, tts, stt, new SileroVad(vadModel), settings,
                timers, latencies::add);
        session = TestSessions.create("voice-room", transport, llm, published, timers);
        transport.attach(session);
        microphone = Thread.ofPlatform().name("microphone").start(this::capture);
    }

    /** The caller says this (real speech audio), then keeps quiet. */
    void say(MonoAudio speech) {
        toSay.addAll(SpeechAudio.frames(speech));
    }

    boolean saying() {
        return !toSay.isEmpty();
    }

    private void capture() {
        long next = System.nanoTime();
        MonoAudio quiet = SpeechAudio.silence(20);
        while (!closed) {
            MonoAudio frame = toSay.poll();
            transport.onCallerAudio(frame != null ? frame : quiet);
            next += 20_000_000L;
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Ticks the speaker played with audible sound (a tone is about -13 dBFS; silence is -infinity). */
    List<Heard> audible() {
        return heard.stream().filter(h -> h.dbfs() > -40).toList();
    }

    @Override
    public void close() {
        closed = true;
        microphone.interrupt();
        speaker.close();
        timers.shutdownNow();
        llmServer.close();
        audioServer.close();
        deepgram.close();
    }

    /** Turn-taking settings for tests: LiveKit-like defaults. */
    record Settings(float activationThreshold, Duration minSpeech, Duration minSilence, Duration minEndpointingDelay,
                    Duration maxEndpointingDelay, Duration minInterruption, Duration lastWordsWait) implements VoiceSettings {
        static Settings defaults() {
            return new Settings(0.5f, Duration.ofMillis(100), Duration.ofMillis(400), Duration.ofMillis(300),
                    Duration.ofSeconds(3), Duration.ofMillis(250), Duration.ofSeconds(2));
        }
    }
}
