package dev.switchboard.worker.llm;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The agent's LLM. Environment variables: SWITCHBOARD_LLM_PROVIDER, SWITCHBOARD_LLM_BASE_URL, SWITCHBOARD_LLM_MODEL,
 * SWITCHBOARD_LLM_API_KEY, SWITCHBOARD_LLM_API_KEY_HEADER, SWITCHBOARD_LLM_TIMEOUT, SWITCHBOARD_LLM_SCRIPT.
 */
@ConfigMapping(prefix = "switchboard.llm")
public interface LlmConfig {

    enum Provider { AUTO, OPENAI, SCRIPTED }

    /** AUTO: the OpenAI-compatible endpoint when a base URL is set, otherwise the scripted demo dialogue. */
    @WithDefault("auto")
    Provider provider();

    /** e.g. https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), or a full Azure chat-completions URL. */
    Optional<URI> baseUrl();

    @WithDefault("gpt-4o-mini")
    String model();

    Optional<String> apiKey();

    /** "Authorization" sends a Bearer token; Azure OpenAI wants "api-key". */
    @WithDefault("Authorization")
    String apiKeyHeader();

    @WithDefault("60s")
    Duration timeout();

    /** Retries of a request that failed before any text arrived (connection errors, 429, 5xx). */
    @WithDefault("2")
    int maxRetries();

    /** Ask for token usage in the stream; turn off for servers that reject stream_options. */
    @WithDefault("true")
    boolean streamUsage();

    /** The dialogue file of the scripted provider; the bundled demo when absent. */
    Optional<String> script();
}
