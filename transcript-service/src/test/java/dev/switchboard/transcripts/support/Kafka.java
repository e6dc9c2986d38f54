package dev.switchboard.transcripts.support;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.SharedInfrastructure;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Publishes to the shared test broker with one long-lived producer (acks=all), waiting for each acknowledgement. */
public final class Kafka {
    private static final AvroCodec<TranscriptSegment> SEGMENTS = AvroCodec.of(TranscriptSegment.class);
    private static final AvroCodec<SessionEvent> EVENTS = AvroCodec.of(SessionEvent.class);
    private static final AvroCodec<AuditRecord> AUDIT = AvroCodec.of(AuditRecord.class);
    private static KafkaProducer<String, byte[]> producer;

    private Kafka() {
    }

    public static void publish(TranscriptSegment... segments) {
        for (TranscriptSegment segment : segments) {
            send(Topic.TRANSCRIPTS, segment.getRoom(), SEGMENTS.encode(segment));
        }
    }

    public static void publish(SessionEvent... events) {
        for (SessionEvent event : events) {
            send(Topic.SESSION_EVENTS, event.getRoom(), EVENTS.encode(event));
        }
    }

    /** Publishes the events again and waits until the ingestion has read them (and written what it would). */
    public static void redeliver(MeterRegistry metrics, SessionEvent... events) {
        double before = sessionEventsRead(metrics);
        publish(events);
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> sessionEventsRead(metrics) >= before + events.length);
    }

    private static double sessionEventsRead(MeterRegistry metrics) {
        Counter counter = metrics.find("switchboard.transcripts.ingest.records").tag("topic", "session-events").counter();
        return counter == null ? 0 : counter.count();
    }

    public static void publish(AuditRecord... records) {
        for (AuditRecord record : records) {
            send(Topic.AUDIT, AuditRecords.key(record), AUDIT.encode(record));
        }
    }

    public static synchronized void send(Topic topic, String key, byte[] value) {
        if (producer == null) {
            producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                    ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0), new StringSerializer(), new ByteArraySerializer());
        }
        try {
            producer.send(new ProducerRecord<>(topic.topicName(), key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic.topicName(), e);
        }
    }

    /** How many records the topic holds (nothing is compacted or expired during a test run). */
    public static long recordCount(Topic topic) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = IntStream.range(0, topic.partitions()).boxed()
                    .collect(Collectors.toMap(p -> new TopicPartition(topic.topicName(), p), p -> OffsetSpec.latest()));
            Map<TopicPartition, OffsetSpec> earliest = latest.keySet().stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.earliest()));
            long end = admin.listOffsets(latest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            long start = admin.listOffsets(earliest).all().get().values().stream().mapToLong(i -> i.offset()).sum();
            return end - start;
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
