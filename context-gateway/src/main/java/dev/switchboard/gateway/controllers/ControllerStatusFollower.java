package dev.switchboard.gateway.controllers;

import dev.switchboard.events.ControllerStatus;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.GrouplessConsumerSettings;
import dev.switchboard.kit.kafka.GrouplessFollower;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.schemas.serde.ControllerStatusDeserializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Reads every call controller's status into {@link ControllerStatuses}, on every gateway instance: a consumer without a
 * group reads the whole compacted topic (one live record per controller) from the beginning and then follows it.
 * Poison that arrives while following is dead-lettered; poison already there when following began was dead-lettered
 * when it arrived, and is skipped rather than dead-lettered again at every start.
 */
@ApplicationScoped
public class ControllerStatusFollower {
    /** Stands in the dead letters' consumer-group header: this reader has no group. */
    static final String READER = "context-gateway-controller-status";
    private static final Logger LOG = Logger.getLogger(ControllerStatusFollower.class);
    private static final Duration POLL = Duration.ofMillis(500);

    private final ControllerStatuses statuses;
    private final DeadLetters deadLetters;
    private final Map<String, Object> kafkaConfig;
    private final String topic;
    /** In the registry mode it keeps the writer schemas it fetched. */
    private final ControllerStatusDeserializer decoder = new ControllerStatusDeserializer();
    private final GrouplessFollower follower;

    ControllerStatusFollower(ControllerStatuses statuses, DeadLetters deadLetters,
                             @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                             @ConfigProperty(name = "switchboard.topics.controller-status") String topic) {
        this.statuses = statuses;
        this.deadLetters = deadLetters;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.topic = topic;
        decoder.configure(this.kafkaConfig, false); // the registry settings, when the services use one
        this.follower = new GrouplessFollower("controller-status", "reading the call controllers' statuses",
                () -> GrouplessConsumerSettings.of(this.kafkaConfig, READER), this::follow, () -> { });
    }

    void start(@Observes StartupEvent event) {
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) {
        follower.stop();
        decoder.close();
    }

    private void follow(KafkaConsumer<String, byte[]> c, BooleanSupplier running) {
        List<TopicPartition> partitions = GrouplessFollower.partitionsOf(c, topic);
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = c.endOffsets(partitions, Duration.ofSeconds(30));
        while (running.getAsBoolean()) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                apply(record, record.offset() < ends.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L));
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record, boolean readBefore) {
        if (record.value() == null) {
            if (record.key() != null) {
                statuses.forget(record.key()); // a tombstone: the controller's record was deleted
            }
            return;
        }
        try {
            statuses.heard(decoder.deserialize(record.topic(), record.value()));
        } catch (RuntimeException e) {
            Poison poison = Poison.undecodable(e.getMessage(), e.getCause() == null ? null : e.getCause().toString());
            if (readBefore) {
                LOG.debugf("replayed controller status %s-%d@%d skipped (dead-lettered when it arrived): %s", record.topic(),
                        record.partition(), record.offset(), poison.reason());
                return;
            }
            try {
                deadLetters.send(record, READER, poison).await().indefinitely(); // bounded by the dead letters' own timeout
            } catch (RuntimeException failed) {
                LOG.warnf("could not dead-letter the controller status at %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), failed.toString());
            }
        }
    }
}
