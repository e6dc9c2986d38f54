package dev.switchboard.kit.kafka;

import org.apache.kafka.clients.admin.AdminClientConfig;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The settings of an admin client that reaches the broker the way the service's own clients do. */
public final class AdminSettings {
    private AdminSettings() {
    }

    /** The settings among {@code kafkaConfig} a client with these setting names takes (it warns of any other). */
    static Map<String, Object> understoodBy(Map<String, Object> kafkaConfig, Set<String> names) {
        Map<String, Object> settings = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (names.contains(key)) {
                settings.put(key, value);
            }
        });
        return settings;
    }

    /**
     * The service's {@code kafka.*} settings (bootstrap servers, TLS, SASL; Quarkus hands them out as the
     * {@code default-kafka-broker} map), keeping what an admin client understands, with every call bounded by {@code timeout}.
     */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig, Duration timeout) {
        Map<String, Object> settings = understoodBy(kafkaConfig, AdminClientConfig.configNames());
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        return settings;
    }
}
