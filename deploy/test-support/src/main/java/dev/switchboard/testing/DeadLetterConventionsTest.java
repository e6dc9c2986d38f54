package dev.switchboard.testing;

import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every topic a service consumes, found in its configuration (every incoming Kafka channel): a record that is not a
 * record of the topic's type, and a record without a value, each end up in the topic's dead-letter twin with headers
 * that say which service and consumer group put it there, where it came from (topic, partition, offset), what kind of
 * poison it is and why; no channel leaves that to the connector's failure strategy. A service's test extends this and
 * is annotated {@code @QuarkusTest} with its test resources.
 */
public abstract class DeadLetterConventionsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Above this a dead letter carries only the first bytes of the value; a little below Kafka's default 1 MiB limits. */
    private static final int LARGE = 900 * 1024;

    /** Garbage as large as a topic with Kafka's default limits takes (the record's key and framing need the rest). */
    private static byte[] largest() {
        byte[] value = new byte[1_040_000];
        java.util.Arrays.fill(value, (byte) 'G');
        return value;
    }

    /** A consumed topic as the service's configuration declares it. */
    protected record Consumed(String channel, String topic, String group) {
    }

    /** Called before records are sent, e.g. to wait until the service has caught up with its topics. */
    protected void beforeSending() {
    }

    @TestFactory
    Stream<DynamicTest> poisonAndValuelessRecordsAreDeadLetteredWithTheirOrigin() {
        beforeSending();
        List<Consumed> consumed = consumed();
        assertThat(consumed).as("the service consumes topics").isNotEmpty();
        awaitAssigned(consumed);
        String service = config().getValue("quarkus.application.name", String.class);
        List<DynamicTest> tests = new ArrayList<>();
        for (Consumed topic : consumed) {
            tests.add(DynamicTest.dynamicTest(topic.topic() + " (" + topic.channel() + "): undecodable",
                    () -> deadLettered(service, topic, ("not a record " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8), "undecodable")));
            tests.add(DynamicTest.dynamicTest(topic.topic() + " (" + topic.channel() + "): no value",
                    () -> deadLettered(service, topic, null, "no-value")));
            // As large as the topic takes: its dead letter, headers added, would not fit; the consumer must not stop on it.
            tests.add(DynamicTest.dynamicTest(topic.topic() + " (" + topic.channel() + "): undecodable, as large as the topic takes",
                    () -> deadLettered(service, topic, largest(), "undecodable")));
        }
        return tests.stream();
    }

    /**
     * The service dead-letters (above) and no connector does it for it: SmallRye's own dead-letter strategy would write
     * records without service, consumer group and kind, and on a batch channel every record of a failed batch, good
     * ones too; ignore would lose them. A record that cannot even be dead-lettered stops its channel instead.
     */
    @Test
    void aRecordThatCannotBeDeadLetteredStopsItsChannel() {
        for (String channel : channels()) {
            assertThat(config().getOptionalValue("mp.messaging.incoming." + channel + ".failure-strategy", String.class))
                    .as(channel + "'s failure-strategy").hasValue("fail");
        }
    }

    private void deadLettered(String service, Consumed consumed, byte[] value, String kind) {
        // A worker's own command topic is not in the catalogue: its poison goes to the broadcast topic's twin.
        Topic deadLetters = WorkerCommandTopics.isWorkerCommandTopic(consumed.topic()) ? Topic.SESSION_COMMANDS_DLQ
                : Topic.byName(consumed.topic()).orElseThrow(() -> new AssertionError("not in the catalogue: " + consumed.topic())).deadLetter();
        String key = "poison-" + UUID.randomUUID();
        try (var dlq = TopicProbe.fromNow(deadLetters, new ByteArrayDeserializer())) {
            RecordMetadata sent = TestProducer.sendRaw(consumed.topic(), key, value);
            // Each group that reads the topic dead-letters its own copy (the service may read it with several).
            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> key.equals(r.key())
                    && service.equals(header(r, "dead-letter-service")) && consumed.group().equals(header(r, "dead-letter-consumer-group")), WAIT);
            assertThat(header(dead, "dead-letter-topic")).isEqualTo(consumed.topic());
            assertThat(header(dead, "dead-letter-partition")).isEqualTo(Integer.toString(sent.partition()));
            assertThat(header(dead, "dead-letter-offset")).isEqualTo(Long.toString(sent.offset()));
            assertThat(header(dead, "dead-letter-kind")).isEqualTo(kind);
            assertThat(header(dead, "dead-letter-reason")).isNotBlank();
            if (value == null) {
                assertThat(dead.value()).isNull();
            } else if (value.length > LARGE) {
                assertThat(header(dead, "dead-letter-value-truncated")).isEqualTo(Integer.toString(value.length));
                assertThat(value).startsWith(dead.value());
                assertThat(dead.value().length).isGreaterThan(LARGE / 2);
            } else {
                assertThat(dead.value()).isEqualTo(value);
            }
        }
    }

    /**
     * Every incoming Kafka channel of the service, with its topic and consumer group. A channel that subscribes by pattern
     * (the workers' own command topics) is tried on a worker topic created here for it.
     */
    protected static List<Consumed> consumed() {
        Config config = config();
        List<Consumed> consumed = new ArrayList<>();
        for (String channel : channels()) {
            String prefix = "mp.messaging.incoming." + channel;
            String topic = config.getOptionalValue(prefix + ".topic", String.class).orElse(channel);
            if (config.getOptionalValue(prefix + ".pattern", Boolean.class).orElse(false)) {
                topic = workerTopicMatching(topic);
            }
            consumed.add(new Consumed(channel, topic, config.getValue(prefix + ".group.id", String.class)));
        }
        return consumed;
    }

    /** The service's incoming Kafka channels. */
    private static List<String> channels() {
        Config config = config();
        List<String> channels = new ArrayList<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith("mp.messaging.incoming.") && name.endsWith(".connector")
                    && "smallrye-kafka".equals(config.getOptionalValue(name, String.class).orElse(null))) {
                channels.add(name.substring("mp.messaging.incoming.".length(), name.length() - ".connector".length()));
            }
        }
        return channels;
    }

    private static String workerTopicMatching(String pattern) {
        String topic = WorkerCommandTopics.of("conventions-" + UUID.randomUUID());
        assertThat(topic).as("a pattern channel reads the workers' own topics").matches(pattern);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(WorkerCommandTopics.newTopic(topic))).all().get();
        } catch (Exception e) {
            throw new AssertionError("cannot create " + topic, e);
        }
        return topic;
    }

    /** A record sent before a consumer has its partitions would be read by nobody (the groups start at the end). */
    private static void awaitAssigned(List<Consumed> consumed) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            for (Consumed topic : consumed) {
                int partitions = admin.describeTopics(List.of(topic.topic())).allTopicNames().get().get(topic.topic()).partitions().size();
                Awaitility.await(topic.group() + " has every partition of " + topic.topic()).atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(topic.group())).all().get().get(topic.group());
                            Set<TopicPartition> assigned = group.members().stream().map(MemberDescription::assignment)
                                    .flatMap(a -> a.topicPartitions().stream())
                                    .filter(p -> p.topic().equals(topic.topic()))
                                    .collect(Collectors.toSet());
                            return assigned.size() == partitions;
                        });
            }
        } catch (Exception e) {
            throw new AssertionError("cannot see the consumer groups", e);
        }
    }

    private static Config config() {
        return ConfigProvider.getConfig();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
