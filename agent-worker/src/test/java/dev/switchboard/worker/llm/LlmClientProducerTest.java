package dev.switchboard.worker.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The LLM settings an operator can get wrong stop the worker at start with a ConfigurationException, which Quarkus
 * prints as its message alone: one line naming the setting.
 */
class LlmClientProducerTest {
    @TempDir
    Path dir;

    @Test
    void theOpenAiProviderWithoutItsEndpointNamesTheMissingSetting() {
        assertThatThrownBy(() -> client(Map.of("switchboard.llm.provider", "openai")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("SWITCHBOARD_LLM_PROVIDER=openai needs SWITCHBOARD_LLM_BASE_URL (e.g. https://api.openai.com/v1)");
    }

    @Test
    void aDialogueScriptThatIsMissingOrUnusableNamesTheSettingAndTheFileOnOneLine() throws IOException {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> client(Map.of("switchboard.llm.script", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.llm.script (SWITCHBOARD_LLM_SCRIPT): cannot use the dialogue script " + missing
                        + ": there is no such file");

        Path notAScript = Files.writeString(dir.resolve("not-a-script.yaml"), "rules:\n  - say: hi\n    colour: blue\n");
        assertThatThrownBy(() -> client(Map.of("switchboard.llm.script", notAScript.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("switchboard.llm.script (SWITCHBOARD_LLM_SCRIPT): cannot use the dialogue script " + notAScript)
                .hasMessageContaining("colour")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));

        Path badPattern = Files.writeString(dir.resolve("bad-pattern.yaml"), "rules:\n  - when: { userSaid: \"(order\" }\n    say: hi\n");
        assertThatThrownBy(() -> client(Map.of("switchboard.llm.script", badPattern.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("switchboard.llm.script (SWITCHBOARD_LLM_SCRIPT): cannot use the dialogue script " + badPattern)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aReadableDialogueScriptIsFollowed() throws IOException {
        Path script = Files.writeString(dir.resolve("mine.yaml"), "rules:\n  - when: { userSaid: hello }\n    say: hi\n");
        assertThat(client(Map.of("switchboard.llm.script", script.toString())).describe()).contains("mine.yaml");
    }

    private static LlmClient client(Map<String, String> settings) {
        LlmConfig config = new SmallRyeConfigBuilder().withMapping(LlmConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // "60s", as Quarkus reads it
                .withSources(new PropertiesConfigSource(settings, "test", 100)).build().getConfigMapping(LlmConfig.class);
        return new LlmClientProducer().llmClient(config, new ObjectMapper());
    }
}
