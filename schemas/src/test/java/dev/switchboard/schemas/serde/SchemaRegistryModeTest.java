package dev.switchboard.schemas.serde;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.infra.EmbeddedKafka;
import dev.switchboard.infra.SchemaRegistryServer;
import dev.switchboard.schemas.SampleRecords;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The schema-registry mode against a real registry (Apicurio Registry, in memory, built by deploy/schema-registry and
 * run as a child process), spoken to in both dialects (Confluent's API, which it serves at /apis/ccompat/v7, and its own
 * v2 API), and a real broker: writers put Confluent's framing on the wire and register the schema; readers read that
 * and the single-object encoding side by side, so a fleet moves over without a flag day.
 */
class SchemaRegistryModeTest {
    private static EmbeddedKafka kafka;
    private static SchemaRegistryServer registry;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka(EmbeddedKafka.Settings.forTests()).start();
        registry = SchemaRegistryServer.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The two ways of speaking to a registry, each as the services are configured for it. */
    enum Dialect {
        CONFLUENT, APICURIO;

        Map<String, Object> config(boolean write) {
            String url = this == CONFLUENT ? registry.confluentUrl() : registry.apiUrl(); // the dialect told by the URL
            return Map.of(SchemaRegistryMode.URL, url, SchemaRegistryMode.WRITE, Boolean.toString(write));
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void writersPutConfluentsFramingOnTheWireAndRegisterTheSchemaUnderTheTopicsSubject(Dialect dialect) throws Exception {
        String topic = newTopic();
        List<SessionCommand> commands = SampleRecords.sessionCommands();
        try (var producer = producer(dialect.config(true))) {
            for (SessionCommand command : commands) {
                producer.send(new ProducerRecord<>(topic, command.getRoom(), command)).get();
            }
        }
        List<byte[]> raw = readRaw(topic, commands.size());
        for (byte[] value : raw) {
            assertThat(value[0]).as("Confluent's magic byte").isZero();
            int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
            // The id is the one Confluent's API serves: any Confluent deserializer finds the schema by it.
            String schema = get("/schemas/ids/" + schemaId);
            assertThat(schema).contains("SessionCommand").contains("dev.switchboard.events");
        }
        assertThat(get("/subjects")).contains(topic + "-value");

        try (var consumer = consumer(dialect.config(true), new SessionCommandDeserializer())) {
            assertThat(read(consumer, topic, commands.size())).containsExactlyElementsOf(commands);
        }
    }

    @Test
    void bothDialectsAgreeOnTheIds() throws Exception {
        String topic = newTopic();
        CommandResult sample = SampleRecords.commandResults().getFirst();
        List<CommandResult> results = List.of(sample, CommandResult.newBuilder(sample).setCommandId("cmd-through-apicurio").build());
        try (var confluent = producer(Dialect.CONFLUENT.config(true)); var apicurio = producer(Dialect.APICURIO.config(true))) {
            confluent.send(new ProducerRecord<>(topic, sample.getRoom(), results.get(0))).get();
            apicurio.send(new ProducerRecord<>(topic, sample.getRoom(), results.get(1))).get();
        }
        List<byte[]> raw = readRaw(topic, results.size());
        assertThat(ByteBuffer.wrap(raw.get(1), 1, 4).getInt()).as("one schema, one id, whichever API registered it")
                .isEqualTo(ByteBuffer.wrap(raw.get(0), 1, 4).getInt());
        for (Dialect dialect : Dialect.values()) {
            try (var consumer = consumer(dialect.config(true), new CommandResultDeserializer())) {
                assertThat(read(consumer, topic, results.size())).as("read through " + dialect).containsExactlyElementsOf(results);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dialect.class)
    void theStartCheckRegistersWhatTheSerializerThenWritesWith(Dialect dialect) throws Exception {
        String topic = newTopic();
        Map<String, Integer> ids;
        try (SchemaRegistryCheck check = SchemaRegistryCheck.from(dialect.config(true)).orElseThrow()) {
            assertThat(check.writes()).isTrue();
            ids = check.registerWriterSchemas(Map.of(topic, CommandResult.class));
        }
        assertThat(ids).containsOnlyKeys(topic + "-value");
        assertThat(get("/subjects")).contains(topic + "-value");

        CommandResult result = SampleRecords.commandResults().getFirst();
        try (var producer = producer(dialect.config(true))) {
            producer.send(new ProducerRecord<>(topic, result.getRoom(), result)).get();
        }
        assertThat(ByteBuffer.wrap(readRaw(topic, 1).getFirst(), 1, 4).getInt()).as("the id the check was given")
                .isEqualTo(ids.get(topic + "-value"));
    }

    @Test
    void theStartCheckRegistersNothingForServicesThatOnlyRead() {
        String subject = "read-only-" + UUID.randomUUID() + "-value";
        try (SchemaRegistryCheck check = SchemaRegistryCheck.from(Dialect.CONFLUENT.config(false)).orElseThrow()) {
            assertThat(check.writes()).isFalse();
            assertThat(check.registerWriterSchemas(Map.of(subject.replace("-value", ""), CommandResult.class))).isEmpty();
        }
        assertThat(SchemaRegistryCheck.from(Map.of("bootstrap.servers", "localhost:9092"))).as("no registry configured").isEmpty();
    }

    @Test
    void theStartCheckSaysWhichRegistryDidNotAnswer() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        try (SchemaRegistryCheck check = SchemaRegistryCheck.from(Map.of("schema.registry.url", url)).orElseThrow()) {
            assertThat(check.url()).isEqualTo(url);
            assertThatThrownBy(() -> check.registerWriterSchemas(Map.of("any-topic", CommandResult.class)))
                    .hasMessageContaining("registering the schema under any-topic-value at " + url + " failed");
        }
    }

    @Test
    void anIdTheRegistryDoesNotHaveFailsAtOnceSayingSo() {
        byte[] unknownId = ByteBuffer.allocate(12).put((byte) 0).putInt(987_654).array();
        try (var reader = new CommandResultDeserializer()) {
            reader.configure(Dialect.CONFLUENT.config(true), false);
            long started = System.nanoTime();
            assertThatThrownBy(() -> reader.deserialize("any", unknownId)).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("schema 987654 could not be read from the registry").hasMessageContaining("HTTP 404");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("a 404 is not asked again").isLessThan(Duration.ofMillis(700));
        }
    }

    @Test
    void anUnknownDialectIsAConfigurationErrorNamingTheChoices() {
        try (var reader = new CommandResultDeserializer()) {
            assertThatThrownBy(() -> reader.configure(Map.of(SchemaRegistryMode.URL, registry.confluentUrl(), SchemaRegistryMode.API, "karapace"), false))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("karapace").hasMessageContaining("confluent or apicurio");
        }
    }

    @Test
    void confluentsOwnSettingsWorkToo() throws Exception {
        String topic = newTopic();
        CommandResult result = SampleRecords.commandResults().getFirst();
        Map<String, Object> confluentStyle = Map.of("schema.registry.url", registry.confluentUrl());
        try (var producer = producer(confluentStyle)) {
            producer.send(new ProducerRecord<>(topic, result.getRoom(), result)).get();
        }
        assertThat(readRaw(topic, 1).getFirst()[0]).isZero();
        try (var consumer = consumer(confluentStyle, new CommandResultDeserializer())) {
            assertThat(read(consumer, topic, 1)).containsExactly(result);
        }
    }

    @Test
    void readersInRegistryModeReadBothEncodingsOnOneTopic() throws Exception {
        String topic = newTopic();
        CommandResult sample = SampleRecords.commandResults().getFirst();
        List<CommandResult> results = List.of(sample, CommandResult.newBuilder(sample).setCommandId("cmd-framed").build(),
                CommandResult.newBuilder(sample).setCommandId("cmd-single-object-again").build());
        try (var singleObject = producer(Map.of()); var framed = producer(registryMode(true))) {
            for (int i = 0; i < results.size(); i++) {
                (i % 2 == 0 ? singleObject : framed).send(new ProducerRecord<>(topic, results.get(i).getRoom(), results.get(i))).get();
            }
        }
        List<byte[]> raw = readRaw(topic, results.size());
        assertThat(raw.get(0)[0]).as("single-object marker").isEqualTo((byte) 0xC3);
        assertThat(raw.get(1)[0]).as("registry framing").isZero();

        try (var consumer = consumer(registryMode(true), new CommandResultDeserializer())) {
            assertThat(read(consumer, topic, results.size())).containsExactlyElementsOf(results);
        }
    }

    @Test
    void aReaderWithoutARegistrySaysWhyItCannotReadAFramedRecord() throws Exception {
        String topic = newTopic();
        CommandResult result = SampleRecords.commandResults().getFirst();
        try (var framed = producer(registryMode(true))) {
            framed.send(new ProducerRecord<>(topic, result.getRoom(), result)).get();
        }
        byte[] value = readRaw(topic, 1).getFirst();
        try (var plain = new CommandResultDeserializer()) {
            plain.configure(Map.of(), false);
            assertThatThrownBy(() -> plain.deserialize(topic, value)).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("schema registry's framing").hasMessageContaining("SWITCHBOARD_SCHEMA_REGISTRY_URL");
        }
        try (var wrongType = new SessionCommandDeserializer()) {
            wrongType.configure(registryMode(true), false);
            assertThatThrownBy(() -> wrongType.deserialize(topic, value)).isInstanceOf(SerializationException.class)
                    .hasMessageContaining("cannot decode SessionCommand").hasMessageContaining("CommandResult");
        }
    }

    @Test
    void writeFalseKeepsTheSingleObjectEncodingWhileTheReaderIsReady() throws Exception {
        String topic = newTopic();
        CommandResult result = SampleRecords.commandResults().getFirst();
        try (var producer = producer(registryMode(false))) {
            producer.send(new ProducerRecord<>(topic, result.getRoom(), result)).get();
        }
        assertThat(readRaw(topic, 1).getFirst()[0]).isEqualTo((byte) 0xC3);
        assertThat(get("/subjects")).doesNotContain(topic);
    }

    // ------------------------------------------------------------------ helpers

    private static Map<String, Object> registryMode(boolean write) {
        return Dialect.CONFLUENT.config(write);
    }

    private static String newTopic() throws Exception {
        String topic = "registry-mode-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        }
        return topic;
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, T> producer(Map<String, Object> mode) {
        Map<String, Object> config = new HashMap<>(mode);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("key.serializer", StringSerializer.class);
        config.put("value.serializer", AvroSerializer.class);
        return new KafkaProducer<>(config);
    }

    private static <T> KafkaConsumer<String, T> consumer(Map<String, Object> mode, org.apache.kafka.common.serialization.Deserializer<T> values) {
        Map<String, Object> config = new HashMap<>(mode);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("auto.offset.reset", "earliest");
        config.put("group.id", "registry-mode-" + UUID.randomUUID());
        values.configure(config, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), values);
    }

    private static List<byte[]> readRaw(String topic, int count) {
        Map<String, Object> config = Map.of("bootstrap.servers", kafka.bootstrapServers(), "auto.offset.reset", "earliest",
                "group.id", "raw-" + UUID.randomUUID());
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            return read(consumer, topic, count);
        }
    }

    private static <T> List<T> read(KafkaConsumer<String, T> consumer, String topic, int count) {
        consumer.subscribe(List.of(topic));
        List<T> values = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (values.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                values.add(record.value());
            }
        }
        assertThat(values).as("records read from " + topic).hasSize(count);
        return values;
    }

    private static String get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(registry.confluentUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }
}
