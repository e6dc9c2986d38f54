package dev.switchboard.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Chooses the agent's LLM from configuration, once, at start-up: before any other start-up work, as the token settings
 * are checked ({@code AuthSettings}), since it needs only its settings and a worker with a wrong one should stop at once.
 * A wrong setting is a {@link ConfigurationException}, which Quarkus reports as its message alone.
 */
@ApplicationScoped
public class LlmClientProducer {
    private static final Logger LOG = Logger.getLogger(LlmClientProducer.class);
    static final String DEMO_SCRIPT = "demo-dialogue.yaml";

    @Produces
    @ApplicationScoped
    @Startup(Interceptor.Priority.PLATFORM_BEFORE)
    LlmClient llmClient(LlmConfig config, ObjectMapper json) {
        LlmConfig.Provider provider = config.provider();
        if (provider == LlmConfig.Provider.AUTO) {
            provider = config.baseUrl().isPresent() ? LlmConfig.Provider.OPENAI : LlmConfig.Provider.SCRIPTED;
        }
        LlmClient client = switch (provider) {
            case OPENAI -> openAi(config, json);
            case SCRIPTED -> scripted(config);
            case AUTO -> throw new IllegalStateException("unreachable");
        };
        if (provider == LlmConfig.Provider.SCRIPTED && config.provider() == LlmConfig.Provider.AUTO) {
            LOG.warnf("No LLM endpoint configured (SWITCHBOARD_LLM_BASE_URL): agents follow the scripted dialogue %s."
                    + " Set SWITCHBOARD_LLM_BASE_URL, SWITCHBOARD_LLM_MODEL and SWITCHBOARD_LLM_API_KEY for a real model.", client.describe());
        } else {
            LOG.infof("LLM: %s", client.describe());
        }
        return client;
    }

    private static LlmClient openAi(LlmConfig config, ObjectMapper json) {
        var baseUrl = config.baseUrl().orElseThrow(() -> new ConfigurationException(
                "SWITCHBOARD_LLM_PROVIDER=openai needs SWITCHBOARD_LLM_BASE_URL (e.g. https://api.openai.com/v1)"));
        return new OpenAiCompatibleLlmClient(new OpenAiCompatibleLlmClient.Settings(
                OpenAiCompatibleLlmClient.chatCompletionsEndpoint(baseUrl), config.model(), config.apiKey(),
                config.apiKeyHeader(), config.timeout(), config.maxRetries(), config.streamUsage()), json);
    }

    private static LlmClient scripted(LlmConfig config) {
        if (config.script().isPresent()) {
            Path file = Path.of(config.script().get());
            try (InputStream in = Files.newInputStream(file)) {
                return new ScriptedLlmClient(DialogueScript.parse(in), file.getFileName().toString());
            } catch (IOException | IllegalArgumentException e) { // unreadable, not a script, or a user-said that is no regex
                // The operator's file: one line naming the setting (the YAML parser's messages span lines).
                String why = e instanceof NoSuchFileException ? "there is no such file" : String.valueOf(e.getMessage());
                throw new ConfigurationException("switchboard.llm.script (SWITCHBOARD_LLM_SCRIPT): cannot use the dialogue script "
                        + file + ": " + why.replaceAll("\\s*\\R\\s*", " "));
            }
        }
        try (InputStream in = LlmClientProducer.class.getClassLoader().getResourceAsStream(DEMO_SCRIPT)) {
            return new ScriptedLlmClient(DialogueScript.parse(in), DEMO_SCRIPT);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled dialogue script: " + e.getMessage(), e);
        }
    }
}
