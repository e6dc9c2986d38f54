package dev.switchboard.worker.voice;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Speech recognition and synthesis for voice calls. Environment variables: DEEPGRAM_API_KEY,
 * SWITCHBOARD_SPEECH_STT_PROVIDER, SWITCHBOARD_SPEECH_TTS_PROVIDER, SWITCHBOARD_SPEECH_OPENAI_BASE_URL,
 * SWITCHBOARD_SPEECH_OPENAI_API_KEY, SWITCHBOARD_VAD_MODEL, ...
 */
@ConfigMapping(prefix = "switchboard.speech")
public interface SpeechConfig {

    /** AUTO: Deepgram when DEEPGRAM_API_KEY is set, else the OpenAI-compatible API when its base URL is known, else none. */
    enum Provider { AUTO, DEEPGRAM, OPENAI, NONE }

    Stt stt();

    Tts tts();

    Deepgram deepgram();

    OpenAi openai();

    /** The VAD model file; the copy bundled at build time when absent. */
    Optional<String> vadModel();

    /** The rate of the agent's audio (LiveKit mixes at 48 kHz). */
    @WithDefault("48000")
    int outputSampleRate();

    interface Stt {
        @WithDefault("auto")
        Provider provider();

        @WithDefault("en")
        String language();

        @WithDefault("nova-3")
        String deepgramModel();

        /** Used for phone callers (SIP participants). */
        @WithDefault("nova-2-phonecall")
        String deepgramTelephonyModel();

        @WithDefault("300ms")
        Duration endpointing();

        @WithDefault("true")
        boolean interimResults();

        @WithDefault("whisper-1")
        String openaiModel();
    }

    interface Tts {
        @WithDefault("auto")
        Provider provider();

        @WithDefault("aura-2-thalia-en")
        String deepgramModel();

        @WithDefault("tts-1")
        String openaiModel();

        @WithDefault("alloy")
        String openaiVoice();
    }

    interface Deepgram {
        Optional<String> apiKey();

        @WithDefault("wss://api.deepgram.com")
        URI baseUrl();
    }

    interface OpenAi {
        /** e.g. https://api.openai.com/v1 or a self-hosted Whisper/TTS server; defaults to the LLM's base URL. */
        Optional<URI> baseUrl();

        Optional<String> apiKey();

        @WithDefault("30s")
        Duration timeout();
    }
}
