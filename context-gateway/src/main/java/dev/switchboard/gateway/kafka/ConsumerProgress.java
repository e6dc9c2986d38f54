package dev.switchboard.gateway.kafka;

import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.IncomingRecords;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.apache.kafka.common.TopicPartition;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;

/**
 * How far a consumer got compared with the end of its topic when it started: it has caught up once it handled
 * every record that was in the topic at start-up, on every partition. Drives readiness, so a restarted gateway
 * does not answer for sessions it has not read yet. For a consumer that subscribes by pattern, a partition of a topic
 * found later counts from when it was first assigned.
 *
 * <p>Positions are "the next offset to handle", as Kafka counts them.
 */
public class ConsumerProgress {
    private final ConcurrentMap<TopicPartition, Long> targets = new ConcurrentHashMap<>();
    private final ConcurrentMap<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile boolean targetsKnown;
    private volatile boolean caughtUp;

    /**
     * On a partition assignment: remembers the topic's end offsets the first time, seeks the partitions read before
     * back to where this consumer stopped, and returns the ones it never read (for the caller to position).
     */
    public List<TopicPartition> assigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (!targetsKnown) {
            String topic = partitions.iterator().next().topic();
            List<TopicPartition> all = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            startedWith(consumer.endOffsets(all));
        }
        List<TopicPartition> fresh = partitions.stream().filter(p -> !knows(p)).toList();
        // A partition first assigned later (a topic a pattern subscription found since): what it held then was there
        // before this consumer read it.
        List<TopicPartition> untargeted = fresh.stream().filter(p -> !targets.containsKey(p)).toList();
        if (!untargeted.isEmpty()) {
            consumer.endOffsets(untargeted).forEach(targets::putIfAbsent);
        }
        partitions.stream().filter(p -> !fresh.contains(p)).forEach(p -> consumer.seek(p, position(p)));
        return fresh;
    }

    /**
     * Starts the partitions this consumer never read ({@link #assigned}) at the first record published within the window
     * before now, or at the end when there is none (or the window is zero), and remembers where each starts.
     */
    public void startWithin(Consumer<?, ?> consumer, List<TopicPartition> fresh, Duration window, Clock clock) {
        if (fresh.isEmpty()) {
            return;
        }
        long since = clock.millis() - window.toMillis();
        Map<TopicPartition, OffsetAndTimestamp> starts = window.isZero() ? Map.of()
                : consumer.offsetsForTimes(fresh.stream().collect(Collectors.toMap(p -> p, p -> since)));
        for (TopicPartition partition : fresh) {
            OffsetAndTimestamp start = starts.get(partition);
            if (start != null) {
                consumer.seek(partition, start.offset());
            } else {
                consumer.seekToEnd(List.of(partition));
            }
            startsAt(partition, consumer.position(partition));
        }
    }

    /** The end offsets of every partition of the topic at start-up; only the first call counts. */
    public synchronized void startedWith(Map<TopicPartition, Long> endOffsets) {
        if (!targetsKnown) {
            targets.putAll(endOffsets);
            targetsKnown = true;
        }
    }

    public boolean targetsKnown() {
        return targetsKnown;
    }

    /** The consumer starts (or resumes) reading the partition at this offset. */
    public void startsAt(TopicPartition partition, long offset) {
        positions.merge(partition, offset, Math::max);
    }

    /** Whether the consumer has read this partition before (a re-assignment resumes where it stopped). */
    public boolean knows(TopicPartition partition) {
        return positions.containsKey(partition);
    }

    public long position(TopicPartition partition) {
        return positions.getOrDefault(partition, 0L);
    }

    /**
     * Consumes a record of the topic this progress is about: usable ones go to the handler, unusable ones are
     * dead-lettered (or, read again from before the start, counted), and the record counts as handled either way.
     */
    public <T> CompletionStage<Void> consume(Message<T> message, DeadLetters deadLetters, java.util.function.Consumer<T> handler) {
        Optional<TopicPartition> partition = IncomingRecords.partition(message);
        long offset = IncomingRecords.offset(message);
        try {
            return deadLetters.consume(message, partition.isPresent() && isHistory(partition.get(), offset), handler);
        } finally {
            partition.ifPresent(p -> handled(p, offset));
        }
    }

    /** The record at this offset has been handled (applied, skipped or dead-lettered). */
    public void handled(TopicPartition partition, long offset) {
        positions.merge(partition, offset + 1, Math::max);
    }

    /** Whether the record at this offset was already in the topic when the consumer started. */
    public boolean isHistory(TopicPartition partition, long offset) {
        Long target = targets.get(partition);
        return target != null && offset < target;
    }

    /** Latches: once caught up, later lag (new records arriving) is normal operation, not unreadiness. */
    public boolean caughtUp() {
        if (caughtUp) {
            return true;
        }
        if (!targetsKnown) {
            return false;
        }
        boolean allRead = targets.entrySet().stream()
                .allMatch(target -> positions.getOrDefault(target.getKey(), 0L) >= target.getValue());
        if (allRead) {
            caughtUp = true;
        }
        return allRead;
    }

    /** "position/target" per partition, for the health check's data. */
    public Map<String, String> describe() {
        Map<String, String> described = new TreeMap<>();
        targets.forEach((partition, target) -> described.put(partition.toString(),
                positions.getOrDefault(partition, 0L) + "/" + target));
        return described;
    }
}
