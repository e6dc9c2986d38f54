package dev.switchboard.schemas.topics;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the topic catalogue as configuration ({@code switchboard.topics.session-commands=switchboard.session-commands}),
 * so that a service's application.properties says {@code topic=${switchboard.topics.session-commands}} instead of
 * repeating the name. The low ordinal lets application.properties or the environment rename a topic.
 */
public final class TopicConfigSource implements ConfigSource {
    private static final Map<String, String> PROPERTIES = Arrays.stream(Topic.values())
            .collect(Collectors.toUnmodifiableMap(Topic::configKey, Topic::topicName));

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
