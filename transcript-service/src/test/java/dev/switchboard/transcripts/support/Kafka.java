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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

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

    /**
     * Publishes the segments as one batch of the producer (their rooms must share a partition, e.g. one room), so the
     * ingestion reads them in one poll, as one batch; returns where each went.
     */
    public static List<RecordMetadata> publishTogether(TranscriptSegment... segments) {
        return sendTogether(Arrays.stream(segments).map(s -> new ProducerRecord<>(Topic.TRANSCRIPTS.topicName(), s.getRoom(),
                SEGMENTS.encode(s))).toList());
    }

    /** As {@link #publishTogether(TranscriptSegment...)}, for session events. */
    public static List<RecordMetadata> publishTogether(SessionEvent... events) {
        return sendTogether(Arrays.stream(events).map(e -> new ProducerRecord<>(Topic.SESSION_EVENTS.topicName(), e.getRoom(),
                EVENTS.encode(e))).toList());
    }

    /** As {@link #publishTogether(TranscriptSegment...)}, for audit records. */
    public static List<RecordMetadata> publishTogether(AuditRecord... records) {
        return sendTogether(Arrays.stream(records).map(r -> new ProducerRecord<>(Topic.AUDIT.topicName(), AuditRecords.key(r),
                AUDIT.encode(r))).toList());
    }

    /** A producer that only sends when flushed: the records of one partition go in one request, as one record batch. */
    private static List<RecordMetadata> sendTogether(List<ProducerRecord<String, byte[]>> records) {
        try (var together = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafkaBootstrapServers(), ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 60_000),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> sent = records.stream().map(together::send).toList();
            together.flush();
            return sent.stream().map(Kafka::acknowledged).toList();
        }
    }

    private static RecordMetadata acknowledged(Future<RecordMetadata> sent) {
        try {
            return sent.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish", e);
        }
    }

    /** The value of a record's header, which must be there. */
    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
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
