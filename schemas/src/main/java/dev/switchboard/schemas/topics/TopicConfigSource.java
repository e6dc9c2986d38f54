package dev.switchboard.schemas.topics;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the topic catalogue as configuration ({@code switchboard.topics.session-commands=switchboard.session-commands}),
 * so that a service's application.properties says {@code topic=${switchboard.topics.session-commands}} instead of
 * repeating the name; and {@value WorkerCommandTopics#PATTERN_CONFIG_KEY}, the pattern of the workers' own command
 * topics ({@link WorkerCommandTopics}), and {@value WorkerCommandTopics#EVERY_COMMAND_TOPIC_PATTERN_CONFIG_KEY}, those and the
 * broadcast topic. The low ordinal lets application.properties or the environment rename a topic.
 */
public final class TopicConfigSource implements ConfigSource {
    private static final Map<String, String> PROPERTIES = properties();

    private static Map<String, String> properties() {
        Map<String, String> properties = new HashMap<>(Arrays.stream(Topic.values())
                .collect(Collectors.toMap(Topic::configKey, Topic::topicName)));
        // The workers' own command topics, for a pattern subscription (the gateway's watchdog reads them all).
        properties.put(WorkerCommandTopics.PATTERN_CONFIG_KEY, WorkerCommandTopics.PATTERN);
        // The broadcast topic and the workers' own (every gateway instance reads every command sent).
        properties.put(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN_CONFIG_KEY, WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN);
        return Map.copyOf(properties);
    }

    @Override
    public Map<String, String> getProperties() {
        return PROPERTIES;
    }

    @Override
    public Set<String> getPropertyNames() {
        return PROPERTIES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTIES.get(propertyName);
    }

    @Override
    public String getName() {
        return "switchboard-topic-catalogue";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
