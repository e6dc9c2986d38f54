package dev.switchboard.kit.kafka;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.switchboard.kit.kafka.MessagingTracingSwitch.CONNECTOR_TRACING;
import static dev.switchboard.kit.kafka.MessagingTracingSwitch.SDK_DISABLED;
import static org.assertj.core.api.Assertions.assertThat;

class MessagingTracingSwitchTest {

    @Test
    void theConnectorTracesOnlyWhenTheSdkIsOn() {
        assertThat(config(Map.of(SDK_DISABLED, "true")).getValue(CONNECTOR_TRACING, Boolean.class)).isFalse();
        assertThat(config(Map.of(SDK_DISABLED, "false")).getValue(CONNECTOR_TRACING, Boolean.class)).isTrue();
        // Quarkus' own default: the SDK is on unless disabled.
        assertThat(config(Map.of()).getValue(CONNECTOR_TRACING, Boolean.class)).isTrue();
    }

    @Test
    void anExplicitConnectorSettingWins() {
        assertThat(config(Map.of(SDK_DISABLED, "true", CONNECTOR_TRACING, "true")).getValue(CONNECTOR_TRACING, Boolean.class)).isTrue();
        assertThat(config(Map.of(SDK_DISABLED, "false", CONNECTOR_TRACING, "false")).getValue(CONNECTOR_TRACING, Boolean.class)).isFalse();
    }

    @Test
    void otherNamesAreLeftAlone() {
        SmallRyeConfig config = config(Map.of(SDK_DISABLED, "true"));
        assertThat(config.getOptionalValue("mp.messaging.outgoing.commands.tracing-enabled", Boolean.class)).isEmpty();
        assertThat(config.getValue(SDK_DISABLED, Boolean.class)).isTrue();
    }

    @Test
    void servicesPickItUpByServiceLoader() {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDiscoveredInterceptors()
                .withSources(new PropertiesConfigSource(Map.of(SDK_DISABLED, "true"), "application.properties", 250)).build();
        assertThat(config.getValue(CONNECTOR_TRACING, Boolean.class)).isFalse();
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder().withInterceptors(new MessagingTracingSwitch())
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250)).build();
    }
}
