package dev.switchboard.kit.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.util.Map;
import java.util.UUID;

/**
 * The settings of a plain Kafka consumer that assigns itself partitions instead of joining a group (nothing committed,
 * no rebalance), reaching the broker the way the service's own clients do.
 */
public final class GrouplessConsumerSettings {
    private GrouplessConsumerSettings() {
    }

    /**
     * The service's {@code kafka.*} settings (bootstrap servers, TLS, SASL; Quarkus hands them out as the
     * {@code default-kafka-broker} map), keeping what a consumer understands, without a group, with a client id of
     * {@code clientIdPrefix} and a random suffix.
     */
    public static Map<String, Object> of(Map<String, Object> kafkaConfig, String clientIdPrefix) {
        Map<String, Object> settings = AdminSettings.understoodBy(kafkaConfig, ConsumerConfig.configNames());
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientIdPrefix + "-" + UUID.randomUUID());
        return settings;
    }
}
