package dev.switchboard.testing;

import dev.switchboard.schemas.topics.Topic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Reads a topic of the shared test broker from a fixed position (no consumer group, so no rebalance wait)
 * and waits for records. Open it before triggering what should produce the record.
 */
public final class TopicProbe<T> implements AutoCloseable {
    private final KafkaConsumer<String, T> consumer;
    private final List<ConsumerRecord<String, T>> seen = new ArrayList<>();

    private TopicProbe(String topic, Deserializer<T> deserializer, boolean fromBeginning) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), deserializer);
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position); // resolve the end offsets now, not at the first poll
        }
    }

    /** Reads what is published from now on. */
    public static <T> TopicProbe<T> fromNow(Topic topic, Deserializer<T> deserializer) {
        return new TopicProbe<>(topic.topicName(), deserializer, false);
    }

    /** Reads everything the topic holds. */
    public static <T> TopicProbe<T> fromBeginning(Topic topic, Deserializer<T> deserializer) {
        return new TopicProbe<>(topic.topicName(), deserializer, true);
    }

    /** Waits for the first record (seen before or after this call) whose value matches. */
    public T await(Predicate<T> match, Duration timeout) {
        return awaitRecord(r -> match.test(r.value()), timeout).value();
    }

    public ConsumerRecord<String, T> awaitRecord(Predicate<ConsumerRecord<String, T>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < seen.size(); checked++) {
                if (match.test(seen.get(checked))) {
                    return seen.get(checked);
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no matching record within " + timeout + "; saw " + seen.stream().map(ConsumerRecord::value).toList());
            }
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
    }

    /** Polls for the given time and returns every value seen so far (to assert that something did NOT happen). */
    public List<T> drain(Duration duration) {
        return drainRecords(duration).stream().map(ConsumerRecord::value).toList();
    }

    /** As {@link #drain}, with the records' keys and headers. */
    public List<ConsumerRecord<String, T>> drainRecords(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        }
        return List.copyOf(seen);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
