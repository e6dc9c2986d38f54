package dev.switchboard.gateway.kafka;

import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Positions the consumer of every session command ({@link PendingCommandsListener}). A partition it never read starts
 * at the commands sent within the results' replay window: at start-up, so a restarted instance knows the commands
 * still pending as it knows their results; and for a worker's topic found later (workers create theirs when they
 * start; the pattern subscription finds it within the metadata refresh), so the commands sent to it meanwhile are
 * read. A partition read before resumes after the last record handled: the group commits nothing, and a new topic
 * makes the group assign every partition again. (One position per worker topic ever read: a few bytes for each worker
 * started while this instance runs.)
 */
@ApplicationScoped
@Identifier(PendingCommandsStart.NAME)
public class PendingCommandsStart implements KafkaConsumerRebalanceListener {
    public static final String NAME = "context-gateway-pending-commands-start";
    private static final Logger LOG = Logger.getLogger(PendingCommandsStart.class);

    /** The next offset to read, per partition read before. */
    private final Map<TopicPartition, Long> resumeAt = new ConcurrentHashMap<>();
    /** Where each partition ended when this consumer first got it: records before were there before it read them. */
    private final Map<TopicPartition, Long> endAtFirstAssignment = new ConcurrentHashMap<>();
    private final Duration window;
    private final Clock clock;

    PendingCommandsStart(GatewayConfig config, Clock clock) {
        this.window = config.results().replayWindow();
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        List<TopicPartition> fresh = partitions.stream().filter(p -> !resumeAt.containsKey(p)).toList();
        partitions.stream().filter(resumeAt::containsKey).forEach(p -> consumer.seek(p, resumeAt.get(p)));
        if (fresh.isEmpty()) {
            return;
        }
        long since = clock.millis() - window.toMillis();
        Map<TopicPartition, OffsetAndTimestamp> starts = window.isZero() ? Map.of()
                : consumer.offsetsForTimes(fresh.stream().collect(Collectors.toMap(p -> p, p -> since)));
        Map<TopicPartition, Long> ends = consumer.endOffsets(fresh);
        for (TopicPartition partition : fresh) {
            endAtFirstAssignment.putIfAbsent(partition, ends.getOrDefault(partition, 0L));
            OffsetAndTimestamp start = starts.get(partition);
            if (start != null) {
                consumer.seek(partition, start.offset());
            } else {
                consumer.seekToEnd(List.of(partition));
            }
            resumeAt.merge(partition, consumer.position(partition), Math::max);
        }
        LOG.debugf("reading the session commands of %s from within the last %s", fresh, window);
    }

    /**
     * The record at this offset has been read: a re-assignment resumes after it. Returns whether it was in the topic
     * before this consumer got the partition (replayed: poison among it was dead-lettered when it came).
     */
    boolean handled(TopicPartition partition, long offset) {
        resumeAt.merge(partition, offset + 1, Math::max);
        return offset < endAtFirstAssignment.getOrDefault(partition, 0L);
    }
}
