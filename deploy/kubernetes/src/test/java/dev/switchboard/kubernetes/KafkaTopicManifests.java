package dev.switchboard.kubernetes;

import dev.switchboard.schemas.topics.Topic;

import java.util.Map;
import java.util.TreeMap;

/** Renders the topic catalogue as Strimzi KafkaTopic resources: base/kafka-topics.yaml is this text. */
final class KafkaTopicManifests {
    static final int REPLICAS = 3;
    static final int MIN_IN_SYNC_REPLICAS = 2;

    private KafkaTopicManifests() {
    }

    static String render() {
        StringBuilder yaml = new StringBuilder("""
                # Generated from the topic catalogue (dev.switchboard.schemas.topics.Topic); do not edit by hand.
                # Regenerate: mvn -pl deploy/kubernetes test -Dswitchboard.regenerate=true
                """);
        for (Topic topic : Topic.values()) {
            Map<String, String> config = new TreeMap<>(topic.configs());
            config.put("min.insync.replicas", Integer.toString(MIN_IN_SYNC_REPLICAS));
            yaml.append("---\n")
                    .append("apiVersion: kafka.strimzi.io/v1\n")
                    .append("kind: KafkaTopic\n")
                    .append("metadata:\n")
                    .append("  name: ").append(topic.topicName()).append('\n')
                    .append("  labels:\n")
                    .append("    strimzi.io/cluster: switchboard\n")
                    .append("spec:\n")
                    .append("  topicName: ").append(topic.topicName()).append('\n')
                    .append("  partitions: ").append(topic.partitions()).append('\n')
                    .append("  replicas: ").append(REPLICAS).append('\n')
                    .append("  config:\n");
            config.forEach((key, value) -> yaml.append("    ").append(key).append(": \"").append(value).append("\"\n"));
        }
        return yaml.toString();
    }
}
