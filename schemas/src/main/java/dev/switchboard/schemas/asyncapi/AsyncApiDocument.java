package dev.switchboard.schemas.asyncapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.topics.DeadLetterHeaders;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Switchboard's AsyncAPI 3.0 document, made from the topic catalogue ({@link Topic}: channels, keys, settings, who
 * produces and consumes) and the schemas ({@link SchemaCatalog}: the current Avro schema of each record as the payload,
 * every released version with its fingerprint), so it cannot drift from them. The build writes it into the schemas
 * jar as {@value #RESOURCE}; the context gateway serves it at {@code /asyncapi.yaml}.
 */
public final class AsyncApiDocument {
    /** Where the build puts the document, on the classpath of everything that depends on the schemas. */
    public static final String RESOURCE = "dev/switchboard/schemas/asyncapi.yaml";
    public static final String AVRO_SCHEMA_FORMAT = "application/vnd.apache.avro+json;version=1.9.0";
    /** The Kafka bindings version the document uses. */
    static final String KAFKA_BINDING_VERSION = "0.5.0";
    /** Avro single-object encoding, for which no media type is registered. */
    static final String CONTENT_TYPE = "application/octet-stream";
    /** The channel of the workers' own command topics. */
    static final String WORKER_CHANNEL = "session-commands-worker";
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper SCHEMA_READER = new ObjectMapper();

    private AsyncApiDocument() {
    }

    /** Writes the document: {@code AsyncApiDocument <output file> <version>}. Run by the build after compilation. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: AsyncApiDocument <output file> <version>");
        }
        Path out = Path.of(args[0]);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, yaml(args[1]));
        System.out.println("[schemas] AsyncAPI document of " + Topic.values().length + " topics written to " + out);
    }

    /** The document as YAML. */
    public static String yaml(String version) {
        try {
            return yamlMapper().writeValueAsString(build(version));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The mapper that writes (and reads back) the document. */
    public static ObjectMapper yamlMapper() {
        return new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                // A string such as "1" or "true" stays a string.
                .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
                .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
                .disable(YAMLGenerator.Feature.SPLIT_LINES)
                .build());
    }

    /** The document as a tree. */
    public static ObjectNode build(String version) {
        ObjectNode document = JSON.objectNode();
        document.put("asyncapi", "3.0.0");
        document.set("info", info(version));
        ObjectNode servers = document.putObject("servers");
        servers.putObject("local")
                .put("host", "localhost:9092")
                .put("protocol", "kafka")
                .put("description", "The broker of ./switchboard up (SWITCHBOARD_KAFKA_PORT changes the port).");
        ObjectNode channels = document.putObject("channels");
        ObjectNode operations = document.putObject("operations");
        ObjectNode messages = JSON.objectNode();
        for (Topic topic : Topic.values()) {
            String message = messageName(topic);
            channels.set(channelId(topic), channel(topic, message));
            messages.set(message, topic.isDeadLetter() ? deadLetterMessage(topic) : recordMessage(topic));
            for (Party producer : topic.producers()) {
                operations.set(operationId(producer, "sends", topic), operation(producer, "send", topic, message));
            }
            for (Party consumer : topic.consumers()) {
                operations.set(operationId(consumer, "receives", topic), operation(consumer, "receive", topic, message));
            }
        }
        channels.set(WORKER_CHANNEL, workerCommandsChannel());
        for (Party producer : WorkerCommandTopics.PRODUCERS) {
            operations.set(producer.id() + "-sends-" + WORKER_CHANNEL, workerCommandsOperation(producer, "send"));
        }
        for (Party consumer : WorkerCommandTopics.CONSUMERS) {
            operations.set(consumer.id() + "-receives-" + WORKER_CHANNEL, workerCommandsOperation(consumer, "receive"));
        }
        document.putObject("components").set("messages", messages);
        return document;
    }

    /** The workers' own command topics (directed delivery): one channel with the worker's id as its parameter. */
    private static ObjectNode workerCommandsChannel() {
        String message = messageName(Topic.SESSION_COMMANDS);
        ObjectNode channel = JSON.objectNode();
        channel.put("address", WorkerCommandTopics.PREFIX + "{workerId}");
        channel.put("title", WorkerCommandTopics.PREFIX + "<workerId>");
        channel.put("description", "Directed delivery: the SessionCommand records for the calls of one agent worker, keyed by " + Topic.KEY
                + ". Each worker creates its own topic when it starts and announces it in SessionStarted.commandTopic; send a session's"
                + " commands there to have only its worker read them (" + Topic.SESSION_COMMANDS.topicName() + " works too: the context"
                + " gateway forwards those). Written by " + names(WorkerCommandTopics.PRODUCERS) + "; read by the worker it belongs to and"
                + " the context gateway (its watchdog, and every instance, to know the commands pending). Poison records go to " + Topic.SESSION_COMMANDS_DLQ.topicName()
                + ". The call controller deletes a worker's topic once the worker has stopped.");
        channel.putObject("parameters").putObject("workerId")
                .put("description", "The worker's id (SessionStarted.workerId): letters, digits, '.', '_' and '-'.");
        channel.putObject("messages").putObject(message).put("$ref", "#/components/messages/" + message);
        ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
        kafka.put("partitions", WorkerCommandTopics.PARTITIONS);
        ObjectNode configuration = kafka.putObject("topicConfiguration");
        configuration.putArray("cleanup.policy").add(WorkerCommandTopics.configs().get("cleanup.policy"));
        configuration.put("retention.ms", WorkerCommandTopics.retention().toMillis());
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
        return channel;
    }

    private static ObjectNode workerCommandsOperation(Party party, String action) {
        ObjectNode operation = JSON.objectNode();
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + WORKER_CHANNEL);
        operation.put("title", WorkerCommandTopics.PREFIX + "<workerId>, " + (action.equals("send") ? "written by " : "read by ") + party.id());
        operation.putArray("messages").addObject().put("$ref", "#/channels/" + WORKER_CHANNEL + "/messages/" + messageName(Topic.SESSION_COMMANDS));
        operation.putArray("tags").addObject().put("name", party.id());
        return operation;
    }

    private static ObjectNode info(String version) {
        ObjectNode info = JSON.objectNode();
        info.put("title", "Switchboard");
        info.put("version", version);
        info.put("description", """
                The Kafka topics of Switchboard, the platform that runs voice AI agents on LiveKit and lets other systems \
                steer them: commands in, results and events out, transcripts.

                Every value is Avro single-object encoded: the bytes C3 01, the writer schema's 8-byte CRC-64-AVRO \
                fingerprint of its Parsing Canonical Form (little-endian), then the Avro binary record. Write with a \
                released schema (each message lists its released versions and their fingerprints); readers resolve every \
                released version. Every key is UTF-8 text: the LiveKit room name, so one call's records stay in order on \
                one partition, except on %s; a dead-letter twin keeps the original key. A command's result comes back on switchboard.command-results with the same commandId. \
                Each topic has a dead-letter twin (<topic>.dlq) for the records its consumers cannot process. A session's \
                commands may also go straight to the topic of the worker that runs it (SessionStarted.commandTopic).

                The encoding in full, for any language: schemas/README.md in the Switchboard repository.
                """.formatted(otherKeys()));
        ArrayNode tags = info.putArray("tags");
        for (Party party : Party.values()) {
            tags.addObject().put("name", party.id()).put("description", party.description());
        }
        return info;
    }

    /** The topics not keyed by the room, with their keys: "t1 (key 1), t2 (key 2) and t3 (key 3)". */
    private static String otherKeys() {
        List<String> topics = Arrays.stream(Topic.values()).filter(topic -> !topic.isDeadLetter() && !topic.key().equals(Topic.KEY))
                .map(topic -> topic.topicName() + " (" + topic.key() + ")").toList();
        return topics.size() < 2 ? String.join("", topics)
                : String.join(", ", topics.subList(0, topics.size() - 1)) + " and " + topics.getLast();
    }

    private static ObjectNode channel(Topic topic, String message) {
        ObjectNode channel = JSON.objectNode();
        channel.put("address", topic.topicName());
        channel.put("title", topic.topicName());
        channel.put("description", topic.isDeadLetter()
                ? "The dead-letter twin of " + topic.deadLetterOf().orElseThrow().topicName() + ": the records its consumers could not"
                        + " process, with the reason in the headers. Written by " + names(topic.producers())
                        + "; no service reads it (inspect and replay by hand)."
                : valueSchema(topic).getName() + " records, keyed by " + topic.key() + ". Written by " + names(topic.producers())
                        + "; read by " + names(topic.consumers()) + ".");
        channel.putObject("messages").putObject(message).put("$ref", "#/components/messages/" + message);
        ObjectNode kafka = channel.putObject("bindings").putObject("kafka");
        kafka.put("topic", topic.topicName());
        kafka.put("partitions", topic.partitions());
        ObjectNode configuration = kafka.putObject("topicConfiguration");
        Map<String, String> configs = topic.configs();
        ArrayNode cleanupPolicy = configuration.putArray("cleanup.policy");
        for (String policy : configs.get("cleanup.policy").split(",")) {
            cleanupPolicy.add(policy.strip());
        }
        configuration.put("retention.ms", Long.parseLong(configs.get("retention.ms")));
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
        return channel;
    }

    /** What a record's commandId ties it to: a command and its result, or the command a line or an audit record came from. */
    private static String correlation(String record) {
        return switch (record) {
            case "SessionCommand", "CallControlRequest" -> "the command's id; its CommandResult (or, for a DialRequested, the"
                    + " CallAnswered or CallFailed session event, as dialCommandId) carries the same commandId";
            case "CommandResult" -> "the id of the command this result answers";
            case "TranscriptSegment" -> "for a line a command put in the transcript (an injected message, a Say), that command's id;"
                    + " null for what the caller and the agent said";
            case "AuditRecord" -> "the id of the command the action carried out or refused; null for an action that was no command";
            default -> "the id of the command this record belongs to";
        };
    }

    private static ObjectNode recordMessage(Topic topic) {
        Class<? extends SpecificRecord> type = topic.valueType().orElseThrow();
        Schema current = SchemaCatalog.currentSchema(type);
        ObjectNode message = JSON.objectNode();
        message.put("name", type.getSimpleName());
        message.put("title", type.getSimpleName());
        message.put("summary", current.getDoc());
        message.put("description", describePayload(current));
        message.put("contentType", CONTENT_TYPE);
        ObjectNode payload = message.putObject("payload");
        payload.put("schemaFormat", AVRO_SCHEMA_FORMAT);
        payload.set("schema", schemaJson(current));
        if (current.getField("commandId") != null) {
            message.putObject("correlationId")
                    .put("description", "commandId: " + correlation(type.getSimpleName()))
                    .put("location", "$message.payload#/commandId");
        }
        message.set("bindings", keyBinding(topic));
        ArrayNode released = message.putArray("x-switchboard-released");
        List<Schema> versions = SchemaCatalog.releasedSchemas(type);
        for (int i = 0; i < versions.size(); i++) {
            long fingerprint = SchemaNormalization.parsingFingerprint64(versions.get(i));
            released.addObject()
                    .put("version", i + 1)
                    .put("file", "schemas/src/main/resources/dev/switchboard/schemas/released/" + type.getSimpleName() + "/v" + (i + 1) + ".avsc")
                    .put("fingerprint", HexFormat.of().toHexDigits(fingerprint))
                    .put("header", HexFormat.of().formatHex(singleObjectHeader(fingerprint)));
        }
        return message;
    }

    private static String describePayload(Schema current) {
        StringBuilder description = new StringBuilder("Avro single-object encoding of a released version of " + current.getName()
                + " (x-switchboard-released: each version's fingerprint, and the 10 bytes every value written with it starts with).");
        Schema.Field payload = current.getField("payload");
        if (payload != null && payload.schema().isUnion()) {
            description.append(" The payload union's branches, by full name: ");
            description.append(String.join(", ", payload.schema().getTypes().stream().map(Schema::getFullName).toList()));
            description.append('.');
        }
        return description.toString();
    }

    private static ObjectNode deadLetterMessage(Topic topic) {
        Topic source = topic.deadLetterOf().orElseThrow();
        String record = valueSchema(source).getName();
        ObjectNode message = JSON.objectNode();
        message.put("name", messageName(topic));
        message.put("title", record + " dead letter");
        message.put("summary", "A record of " + source.topicName() + " that could not be processed.");
        message.put("description", "The value is the original record's bytes when it could not be decoded; a record that decoded but"
                + " could not be processed is written again as a single-object-encoded " + record + ". The key is kept.");
        message.put("contentType", CONTENT_TYPE);
        ObjectNode headers = message.putObject("headers");
        headers.put("type", "object");
        ObjectNode properties = headers.putObject("properties");
        DeadLetterHeaders.ALL.forEach((name, meaning) -> properties.putObject(name).put("type", "string").put("description", meaning));
        DeadLetterHeaders.ALWAYS.forEach(headers.putArray("required")::add);
        message.putObject("payload").put("type", "string").put("format", "binary");
        message.set("bindings", keyBinding(topic));
        return message;
    }

    private static ObjectNode keyBinding(Topic topic) {
        ObjectNode bindings = JSON.objectNode();
        ObjectNode kafka = bindings.putObject("kafka");
        kafka.putObject("key").put("type", "string").put("description", topic.key() + ", UTF-8");
        kafka.put("bindingVersion", KAFKA_BINDING_VERSION);
        return bindings;
    }

    private static ObjectNode operation(Party party, String action, Topic topic, String message) {
        ObjectNode operation = JSON.objectNode();
        operation.put("action", action);
        operation.putObject("channel").put("$ref", "#/channels/" + channelId(topic));
        operation.put("title", topic.topicName() + ", " + (action.equals("send") ? "written by " : "read by ") + party.id());
        operation.putArray("messages").addObject().put("$ref", "#/channels/" + channelId(topic) + "/messages/" + message);
        operation.putArray("tags").addObject().put("name", party.id());
        return operation;
    }

    /** The 10 bytes every value written with the schema starts with: C3 01 and the fingerprint, little-endian. */
    static byte[] singleObjectHeader(long fingerprint) {
        return ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN).put((byte) 0xC3).put((byte) 0x01).putLong(fingerprint).array();
    }

    static String channelId(Topic topic) {
        return topic.id().replace('.', '-');
    }

    static String messageName(Topic topic) {
        return topic.isDeadLetter() ? valueSchema(topic.deadLetterOf().orElseThrow()).getName() + "DeadLetter" : valueSchema(topic).getName();
    }

    private static String operationId(Party party, String verb, Topic topic) {
        return party.id() + "-" + verb + "-" + channelId(topic);
    }

    private static Schema valueSchema(Topic topic) {
        return SchemaCatalog.currentSchema(topic.valueType().orElseThrow());
    }

    private static JsonNode schemaJson(Schema schema) {
        try {
            return SCHEMA_READER.readTree(schema.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String names(List<Party> parties) {
        return String.join(", ", parties.stream().map(Party::id).toList());
    }
}
