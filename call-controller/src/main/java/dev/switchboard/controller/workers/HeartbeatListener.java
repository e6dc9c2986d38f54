package dev.switchboard.controller.workers;

import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.IncomingRecords;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.concurrent.CompletionStage;

/**
 * Reads switchboard.worker-heartbeats in one group shared by the controllers, so each worker is watched by exactly
 * one of them. The topic is compacted (the latest record of a worker is its state), and every assignment reads its
 * partitions from the beginning: a controller that takes a partition over learns which workers live there, and
 * which were already declared lost, without any offsets of its own. Poison records are dead-lettered once (a replay
 * of one that was in the topic before this controller started is only counted).
 */
@ApplicationScoped
@Identifier(HeartbeatListener.REBALANCE)
public class HeartbeatListener implements KafkaConsumerRebalanceListener {
    public static final String REBALANCE = "call-controller-worker-heartbeats";
    private static final Logger LOG = Logger.getLogger(HeartbeatListener.class);

    private final WorkerWatch watch;
    private final WorkerTopicRetirement retirement;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Instant started;

    HeartbeatListener(WorkerWatch watch, WorkerTopicRetirement retirement, DeadLetters deadLetters, Clock clock) {
        this.watch = watch;
        this.retirement = retirement;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.started = clock.instant();
    }

    @Incoming("worker-heartbeats")
    public CompletionStage<Void> onHeartbeat(Message<WorkerHeartbeat> message) {
        var metadata = IncomingRecords.metadata(message);
        int partition = metadata.map(IncomingKafkaRecordMetadata::getPartition).orElse(-1);
        boolean readBefore = metadata.map(m -> m.getTimestamp().isBefore(started)).orElse(false);
        long offset = IncomingRecords.offset(message);
        return deadLetters.consume(message, readBefore, beat -> {
            watch.heard(beat, partition, offset, clock.instant());
            retirement.heard(beat);
        });
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!partitions.isEmpty()) {
            consumer.seekToBeginning(partitions);
            LOG.infof("watching the agent workers of heartbeat partitions %s", partitions.stream().map(TopicPartition::partition).toList());
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        watch.forget(partitions.stream().map(TopicPartition::partition).toList());
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }
}
