package dev.switchboard.kit.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The settings of an admin client that reaches the broker the way the service's own clients do. */
public final class AdminSettings {
    private AdminSettings() {
    }

    /**
     * The service's {@code kafka.*} settings (bootstrap servers, TLS, SASL; Quarkus hands them out as the
     * {@code default-kafka-broker} map), keeping what an admin client understands, with every call bounded by {@code timeout}.
     */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig, Duration timeout) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (AdminClientConfig.configNames().contains(key)) {
                settings.put(key, value);
            }
        });
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return settings;
    }
}
