package dev.switchboard.worker.voice;

import dev.switchboard.events.Transport;
import dev.switchboard.worker.concurrent.Timers;
import dev.switchboard.worker.voice.SpeechConfig.Provider;
import dev.switchboard.worker.voice.stt.DeepgramStreaming;
import dev.switchboard.worker.voice.stt.OpenAiTranscription;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.tts.DeepgramSpeech;
import dev.switchboard.worker.voice.tts.OpenAiSpeech;
import dev.switchboard.worker.voice.tts.TextToSpeech;
import dev.switchboard.worker.voice.vad.SileroVad;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Builds the voice pipeline of each audio call from configuration: the speech recognizer, the synthesizer and
 * the VAD. Tells, in words, what is missing when a voice call cannot be served.
 */
@ApplicationScoped
@Startup // created before the worker registers with LiveKit: a call must not be the first to need it
public class VoiceStack {
    private static final Logger LOG = Logger.getLogger(VoiceStack.class);

    private final SpeechConfig config;
    private final VoiceSettings turnTaking;
    private final MeterRegistry metrics;
    private final ScheduledExecutorService timers;
    private final List<String> missing = new ArrayList<>();
    private volatile SileroVad.Model vadModel;

    VoiceStack(SpeechConfig config, VoiceSettings turnTaking, MeterRegistry metrics, @Timers ScheduledExecutorService timers) {
        this.config = config;
        this.turnTaking = turnTaking;
        this.metrics = metrics;
        this.timers = timers;
        if (sttProvider() == Provider.NONE) {
            missing.add("speech recognition: set DEEPGRAM_API_KEY, or an OpenAI-compatible audio API (SWITCHBOARD_SPEECH_OPENAI_BASE_URL)");
        }
        if (ttsProvider() == Provider.NONE) {
            missing.add("speech synthesis: set DEEPGRAM_API_KEY, or an OpenAI-compatible audio API (SWITCHBOARD_SPEECH_OPENAI_BASE_URL)");
        }
    }

    /** Why voice calls cannot be served, or empty when they can. */
    public Optional<String> unavailable() {
        if (!missing.isEmpty()) {
            return Optional.of(String.join("; ", missing));
        }
        try {
            vad();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("the VAD: " + e.getMessage());
        }
    }

    /** The rate of the agent's audio. */
    public int outputSampleRate() {
        return config.outputSampleRate();
    }

    public String describe() {
        return "stt=" + sttProvider() + ", tts=" + ttsProvider();
    }

    /**
     * A voice transport for one call.
     *
     * @param telephony the caller is on the phone (SIP): recognition uses the telephony model
     */
    public VoiceTransport create(Transport kind, String callerIdentity, boolean telephony, AudioOutput output) {
        return new VoiceTransport(kind, callerIdentity, output, tts(output.sampleRate()), stt(telephony),
                new SileroVad(vad()), turnTaking, timers, this::record);
    }

    private void record(TurnLatency latency) {
        timer("end_of_turn", latency.endOfTurnMs());
        timer("first_token", latency.firstTokenMs());
        timer("first_audio", latency.firstAudioMs());
        timer("first_played", latency.firstPlayedMs());
        LOG.debugf("turn latency: %s", latency);
    }

    private void timer(String step, long millis) {
        if (millis >= 0) {
            Timer.builder("switchboard.voice.turn.latency").tag("step", step)
                    .description("From the end of the caller's speech to this step of the agent's answer")
                    .publishPercentiles(0.5, 0.99)
                    .register(metrics).record(Duration.ofMillis(millis));
        }
    }

    private SileroVad.Model vad() {
        if (vadModel == null) {
            synchronized (this) {
                if (vadModel == null) {
                    vadModel = SileroVad.Model.load(config.vadModel().filter(p -> !p.isBlank()).map(Path::of));
                }
            }
        }
        return vadModel;
    }

    private Provider sttProvider() {
        return resolve(config.stt().provider());
    }

    private Provider ttsProvider() {
        return resolve(config.tts().provider());
    }

    private Provider resolve(Provider chosen) {
        if (chosen != Provider.AUTO) {
            return chosen;
        }
        if (config.deepgram().apiKey().filter(k -> !k.isBlank()).isPresent()) {
            return Provider.DEEPGRAM;
        }
        return config.openai().baseUrl().isPresent() ? Provider.OPENAI : Provider.NONE;
    }

    private SpeechToText stt(boolean telephony) {
        return switch (sttProvider()) {
            case DEEPGRAM -> new DeepgramStreaming(new DeepgramStreaming.Settings(config.deepgram().baseUrl(), deepgramKey(),
                    telephony ? config.stt().deepgramTelephonyModel() : config.stt().deepgramModel(), config.stt().language(),
                    (int) config.stt().endpointing().toMillis(), config.stt().interimResults()));
            case OPENAI -> new OpenAiTranscription(new OpenAiTranscription.Settings(
                    OpenAiTranscription.Settings.transcriptionsEndpoint(openAiBase()), config.openai().apiKey(),
                    config.stt().openaiModel(), Optional.of(config.stt().language()), config.openai().timeout()));
            default -> throw new IllegalStateException("no speech recognition configured");
        };
    }

    private TextToSpeech tts(int rate) {
        return switch (ttsProvider()) {
            case DEEPGRAM -> new DeepgramSpeech(new DeepgramSpeech.Settings(config.deepgram().baseUrl(), deepgramKey(), config.tts().deepgramModel(), rate));
            case OPENAI -> new OpenAiSpeech(new OpenAiSpeech.Settings(OpenAiSpeech.Settings.speechEndpoint(openAiBase()),
                    config.openai().apiKey(), config.tts().openaiModel(), config.tts().openaiVoice(), rate, config.openai().timeout()));
            default -> throw new IllegalStateException("no speech synthesis configured");
        };
    }

    private String deepgramKey() {
        return config.deepgram().apiKey().orElseThrow(() -> new IllegalStateException("DEEPGRAM_API_KEY is not set"));
    }

    private java.net.URI openAiBase() {
        return config.openai().baseUrl().orElseThrow(() -> new IllegalStateException("SWITCHBOARD_SPEECH_OPENAI_BASE_URL is not set"));
    }

    @PreDestroy
    void close() {
        if (vadModel != null) {
            vadModel.close();
        }
    }
}
