package dev.switchboard.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.schemas.asyncapi.AsyncApiDocument;
import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.topics.DeadLetterHeaders;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The AsyncAPI document the build put into the jar describes every topic, every record and who uses each. */
class AsyncApiDocumentTest {
    private static String text;
    private static JsonNode document;

    @BeforeAll
    static void readTheDocumentTheBuildWrote() throws IOException {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(AsyncApiDocument.RESOURCE)) {
            assertThat(in).as("the build writes " + AsyncApiDocument.RESOURCE).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        document = AsyncApiDocument.yamlMapper().readTree(text);
    }

    @Test
    void isTheDocumentOfTheCurrentCatalogueAndSchemasAndReadsBackWhole() throws IOException {
        String version = document.path("info").path("version").asText();
        assertThat(text).as("what the build wrote is what the catalogue and schemas give now").isEqualTo(AsyncApiDocument.yaml(version));
        // Nothing is lost or changed in YAML (a string that looks like a number stays a string, ...); through JSON, numbers
        // are read back as the same node types as through YAML.
        ObjectMapper json = new ObjectMapper();
        assertThat(document).isEqualTo(json.readTree(json.writeValueAsString(AsyncApiDocument.build(version))));
        assertThat(document.path("asyncapi").asText()).isEqualTo("3.0.0");
    }

    @Test
    void everyTopicIsAChannelWithItsSettings() {
        List<String> addresses = new ArrayList<>();
        document.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        List<String> expected = new ArrayList<>(Arrays.stream(Topic.values()).map(Topic::topicName).toList());
        expected.add("switchboard.session-commands.worker.{workerId}");
        assertThat(addresses).containsExactlyInAnyOrderElementsOf(expected);
        for (Topic topic : Topic.values()) {
            JsonNode kafka = channelOf(topic).path("bindings").path("kafka");
            assertThat(kafka.path("partitions").asInt()).as(topic.topicName()).isEqualTo(topic.partitions());
            assertThat(kafka.path("topicConfiguration").path("retention.ms").asLong()).isEqualTo(topic.retention().toMillis());
        }
    }

    @Test
    void everyRecordIsAMessageWithItsAvroSchemaKeyAndReleasedFingerprints() {
        for (Class<? extends SpecificRecord> type : SchemaCatalog.TOP_LEVEL_RECORDS) {
            Topic topic = Arrays.stream(Topic.values()).filter(t -> t.valueType().orElse(null) == type).findFirst().orElseThrow();
            JsonNode message = messageOf(topic);
            assertThat(message.path("name").asText()).isEqualTo(type.getSimpleName());
            assertThat(message.path("payload").path("schemaFormat").asText()).isEqualTo("application/vnd.apache.avro+json;version=1.9.0");
            Schema payload = new Schema.Parser().parse(message.path("payload").path("schema").toString());
            assertThat(payload).isEqualTo(SchemaCatalog.currentSchema(type));
            assertThat(message.path("bindings").path("kafka").path("key").path("type").asText()).isEqualTo("string");

            List<Schema> released = SchemaCatalog.releasedSchemas(type);
            JsonNode versions = message.path("x-switchboard-released");
            assertThat(versions).hasSize(released.size());
            for (int i = 0; i < released.size(); i++) {
                long fingerprint = SchemaNormalization.parsingFingerprint64(released.get(i));
                byte[] header = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
                assertThat(versions.get(i).path("version").asInt()).isEqualTo(i + 1);
                assertThat(versions.get(i).path("fingerprint").asText()).isEqualTo(String.format("%016x", fingerprint));
                assertThat(versions.get(i).path("header").asText()).isEqualTo(HexFormat.of().formatHex(header)).startsWith("c301");
            }
        }
        assertThat(messageOf(Topic.SESSION_COMMANDS).path("correlationId").path("location").asText()).isEqualTo("$message.payload#/commandId");
        assertThat(messageOf(Topic.COMMAND_RESULTS).path("correlationId").path("location").asText()).isEqualTo("$message.payload#/commandId");
        assertThat(messageOf(Topic.SESSION_COMMANDS).path("description").asText())
                .contains("dev.switchboard.events.InjectContext", "dev.switchboard.events.EndSession");
    }

    @Test
    void deadLetterTwinsCarryTheOriginalBytesAndTheReasonHeaders() {
        for (Topic topic : Topic.values()) {
            if (!topic.isDeadLetter()) {
                continue;
            }
            JsonNode message = messageOf(topic);
            assertThat(message.path("payload").path("format").asText()).isEqualTo("binary");
            List<String> headers = new ArrayList<>();
            message.path("headers").path("properties").fieldNames().forEachRemaining(headers::add);
            assertThat(headers).containsExactlyElementsOf(DeadLetterHeaders.ALL.keySet())
                    .contains("dead-letter-service", "dead-letter-consumer-group", "dead-letter-kind");
            List<String> required = new ArrayList<>();
            message.path("headers").path("required").forEach(name -> required.add(name.asText()));
            assertThat(required).containsExactlyElementsOf(DeadLetterHeaders.ALWAYS);
            assertThat(headers).containsAll(required);
            assertThat(channelOf(topic).path("description").asText()).contains(topic.deadLetterOf().orElseThrow().topicName());
        }
    }

    @Test
    void theDescriptionSaysWhatEachTopicIsKeyedBy() {
        String description = document.path("info").path("description").asText();
        assertThat(description).doesNotContain("Every key is the LiveKit room name")
                .contains("switchboard.worker-heartbeats (" + Topic.WORKER_KEY + ")",
                        "switchboard.controller-status (" + Topic.CONTROLLER_KEY + ")",
                        "switchboard.audit (" + Topic.AUDIT_KEY + ")");
        for (Topic topic : Topic.values()) {
            if (!topic.isDeadLetter() && !topic.key().equals(Topic.KEY)) {
                assertThat(description).contains(topic.topicName() + " (" + topic.key() + ")");
            }
        }
    }

    @Test
    void everyProducerAndConsumerHasItsOperation() {
        int expected = 0;
        for (Topic topic : Topic.values()) {
            for (Party producer : topic.producers()) {
                assertOperation(producer, "send", topic);
                expected++;
            }
            for (Party consumer : topic.consumers()) {
                assertOperation(consumer, "receive", topic);
                expected++;
            }
        }
        for (Party producer : WorkerCommandTopics.PRODUCERS) {
            assertWorkerTopicOperation(producer, "send");
            expected++;
        }
        for (Party consumer : WorkerCommandTopics.CONSUMERS) {
            assertWorkerTopicOperation(consumer, "receive");
            expected++;
        }
        assertThat(document.path("operations").size()).isEqualTo(expected);
        List<String> tags = new ArrayList<>();
        document.path("info").path("tags").forEach(tag -> tags.add(tag.path("name").asText()));
        assertThat(tags).containsExactlyElementsOf(Arrays.stream(Party.values()).map(Party::id).toList());
    }

    @Test
    void theWorkersOwnCommandTopicsAreOneChannelWithTheWorkerIdAsParameterCarryingSessionCommands() {
        JsonNode channel = document.path("channels").path("session-commands-worker");
        assertThat(channel.path("address").asText()).isEqualTo("switchboard.session-commands.worker.{workerId}");
        assertThat(channel.path("parameters").path("workerId").path("description").asText()).isNotBlank();
        assertThat(channel.path("messages").path("SessionCommand").path("$ref").asText()).isEqualTo("#/components/messages/SessionCommand");
        assertThat(channel.path("bindings").path("kafka").path("partitions").asInt()).isEqualTo(1);
        assertThat(channel.path("description").asText()).contains("SessionStarted.commandTopic", "switchboard.session-commands.dlq");
    }

    private static void assertWorkerTopicOperation(Party party, String action) {
        List<JsonNode> matching = new ArrayList<>();
        document.path("operations").forEach(operation -> {
            if (operation.path("action").asText().equals(action)
                    && operation.path("channel").path("$ref").asText().equals("#/channels/session-commands-worker")
                    && operation.path("tags").path(0).path("name").asText().equals(party.id())) {
                matching.add(operation);
            }
        });
        assertThat(matching).as("%s %s a worker's command topic", party.id(), action).hasSize(1);
    }

    private static void assertOperation(Party party, String action, Topic topic) {
        String channelRef = "#/channels/" + channelId(topic);
        List<JsonNode> matching = new ArrayList<>();
        document.path("operations").forEach(operation -> {
            if (operation.path("action").asText().equals(action) && operation.path("channel").path("$ref").asText().equals(channelRef)
                    && operation.path("tags").path(0).path("name").asText().equals(party.id())) {
                matching.add(operation);
            }
        });
        assertThat(matching).as("%s %s %s", party.id(), action, topic.topicName()).hasSize(1);
        assertThat(matching.getFirst().path("messages").path(0).path("$ref").asText()).startsWith(channelRef + "/messages/");
    }

    private static JsonNode channelOf(Topic topic) {
        JsonNode channel = document.path("channels").path(channelId(topic));
        assertThat(channel.path("address").asText()).isEqualTo(topic.topicName());
        return channel;
    }

    private static JsonNode messageOf(Topic topic) {
        String ref = channelOf(topic).path("messages").elements().next().path("$ref").asText();
        assertThat(ref).startsWith("#/components/messages/");
        return document.path("components").path("messages").path(ref.substring("#/components/messages/".length()));
    }

    private static String channelId(Topic topic) {
        return topic.id().replace('.', '-');
    }
}
