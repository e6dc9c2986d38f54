package dev.switchboard.testing;

import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.Topic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Publishes records to the shared test broker and waits for the acknowledgement. */
public final class TestProducer {
    private TestProducer() {
    }

    public static void send(Topic topic, String key, SpecificRecord value) {
        send(topic.topicName(), key, value);
    }

    /** To a topic outside the catalogue, e.g. a worker's own command topic. */
    public static void send(String topic, String key, SpecificRecord value) {
        try (var producer = new KafkaProducer<String, SpecificRecord>(config(), new StringSerializer(), new AvroSerializer<>())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Publishes raw bytes, e.g. a poison record, or no value at all (null); returns where the record went. */
    public static RecordMetadata sendRaw(Topic topic, String key, byte[] value) {
        return sendRaw(topic.topicName(), key, value);
    }

    public static RecordMetadata sendRaw(String topic, String key, byte[] value) {
        try (var producer = new KafkaProducer<String, byte[]>(config(), new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (InterruptedException | ExecutionException e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    private static Map<String, Object> config() {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all");
    }
}
