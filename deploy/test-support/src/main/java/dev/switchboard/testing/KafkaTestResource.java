package dev.switchboard.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Gives a Quarkus test the shared real Kafka broker (see {@link SharedInfrastructure}). Use with
 * {@code @WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)}.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers());
    }

    @Override
    public void stop() {
        // Shared by every test of this JVM; stopped by a shutdown hook.
    }
}
