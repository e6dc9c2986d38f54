package dev.switchboard.controller.support;

import dev.switchboard.kit.kafka.SharedAdmin;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Asks the broker how far the heartbeat topic goes (its end offset per partition). A worker's silence means
 * something only when this controller can reach the broker and has read everything on the worker's partition:
 * when the broker is away, or this controller lags, nobody's beats arrive, and that is not the workers' death.
 *
 * <p>In {@code support} rather than {@code workers}: the tenant fence ({@code tenancy}) reads the heartbeat topic up to
 * its end too, and it sits below the worker watch, which hangs up a lost worker's rooms through the call-control router
 * and so through the fence.
 */
@ApplicationScoped
public class HeartbeatTopicProbe {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final SharedAdmin admin;
    private final String topic;

    HeartbeatTopicProbe(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                        @ConfigProperty(name = "switchboard.topics.worker-heartbeats") String topic) {
        this.admin = new SharedAdmin(kafkaConfig, TIMEOUT);
        this.topic = topic;
    }

    /** The end offset of every partition of the heartbeat topic; empty when the broker did not answer in time. */
    public Optional<Map<Integer, Long>> endOffsets(int partitions) {
        return endOffsets(IntStream.range(0, partitions).boxed().toList());
    }

    /** The end offset of these partitions of the heartbeat topic; empty when the broker did not answer in time. */
    public Optional<Map<Integer, Long>> endOffsets(Collection<Integer> partitions) {
        try {
            var request = partitions.stream()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic, p), p -> OffsetSpec.latest()));
            var answer = admin.get().listOffsets(request).all().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            return Optional.of(answer.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().partition(), e -> e.getValue().offset())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
