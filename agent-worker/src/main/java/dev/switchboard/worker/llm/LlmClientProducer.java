package dev.switchboard.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Chooses the agent's LLM from configuration, once, at start-up. */
@ApplicationScoped
public class LlmClientProducer {
    private static final Logger LOG = Logger.getLogger(LlmClientProducer.class);
    static final String DEMO_SCRIPT = "demo-dialogue.yaml";

    @Produces
    @ApplicationScoped
    @Startup
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
        var baseUrl = config.baseUrl().orElseThrow(() -> new IllegalStateException(
                "SWITCHBOARD_LLM_PROVIDER=openai needs SWITCHBOARD_LLM_BASE_URL (e.g. https://api.openai.com/v1)"));
        return new OpenAiCompatibleLlmClient(new OpenAiCompatibleLlmClient.Settings(
                OpenAiCompatibleLlmClient.chatCompletionsEndpoint(baseUrl), config.model(), config.apiKey(),
                config.apiKeyHeader(), config.timeout(), config.maxRetries(), config.streamUsage()), json);
    }

    private static LlmClient scripted(LlmConfig config) {
        try {
            if (config.script().isPresent()) {
                Path file = Path.of(config.script().get());
                try (InputStream in = Files.newInputStream(file)) {
                    return new ScriptedLlmClient(DialogueScript.parse(in), file.getFileName().toString());
                }
            }
            try (InputStream in = LlmClientProducer.class.getClassLoader().getResourceAsStream(DEMO_SCRIPT)) {
                return new ScriptedLlmClient(DialogueScript.parse(in), DEMO_SCRIPT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dialogue script: " + e.getMessage(), e);
        }
    }
}
