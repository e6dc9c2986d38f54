package dev.switchboard.infra;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedServersTest {

    @Test
    void kafkaProducesAndConsumesThroughARealBroker() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Settings.forTests()).start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("infra-test", 2, (short) 1))).all().get();
            }
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("infra-test", "room-1", "hello")).get();
                producer.send(new ProducerRecord<>("infra-test", "room-1", "world")).get();
            }
            List<String> seen = new ArrayList<>();
            try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", bootstrap,
                    "group.id", "infra-test", "auto.offset.reset", "earliest"), new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("infra-test"));
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen.size() < 2 && System.currentTimeMillis() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                        seen.add(record.value());
                    }
                }
            }
            assertThat(seen).containsExactly("hello", "world");
        }
    }

    @Test
    void kafkaKeepsItsDataAcrossRestartsInAGivenDirectory() throws Exception {
        Path dir = Files.createTempDirectory("kafka-restart");
        var settings = new EmbeddedKafka.Settings(0, 0, "127.0.0.1", dir, 3, Map.of());
        try (EmbeddedKafka kafka = new EmbeddedKafka(settings).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get();
        }
        try (EmbeddedKafka kafka = new EmbeddedKafka(settings).start();
             Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("kept");
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    @Test
    void kafkaRestartsInPlaceKeepingItsPortRecordsAndCommittedOffsets() throws Exception {
        try (EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Settings.forTests()).start()) {
            String bootstrap = kafka.bootstrapServers();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic("restarted", 1, (short) 1))).all().get();
            }
            Map<String, Object> consumerConfig = Map.of("bootstrap.servers", bootstrap, "group.id", "restart-test",
                    "auto.offset.reset", "earliest", "enable.auto.commit", "false");
            try (var producer = new KafkaProducer<>(Map.<String, Object>of("bootstrap.servers", bootstrap, "acks", "all"),
                    new StringSerializer(), new StringSerializer());
                 var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
                producer.send(new ProducerRecord<>("restarted", "room-1", "before")).get();
                consumer.subscribe(List.of("restarted"));
                assertThat(pollValues(consumer, 1)).containsExactly("before");
                consumer.commitSync();

                Duration away = kafka.restart(Duration.ofMillis(500));

                assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
                assertThat(away).isGreaterThanOrEqualTo(Duration.ofMillis(500));
                // The same clients carry on: the producer's next record and the consumer's position survive.
                producer.send(new ProducerRecord<>("restarted", "room-1", "after")).get(60, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(pollValues(consumer, 1)).containsExactly("after");
            }
            // A new member of the group starts where the group's committed offset is, kept across the restart.
            try (var consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of("restarted"));
                assertThat(pollValues(consumer, 1)).containsExactly("after");
            }
        }
    }

    private static List<String> pollValues(KafkaConsumer<String, String> consumer, int count) {
        List<String> seen = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (seen.size() < count && System.currentTimeMillis() < deadline) {
            for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                seen.add(record.value());
            }
        }
        return seen;
    }

    @Test
    void aPostgresLeftRunningIsFoundByItsDataDirectoryAndStopped() throws Exception {
        Path dir = Files.createTempDirectory("pg-leftover");
        try {
            EmbeddedPostgresServer.start(0, dir); // never closed: as if its owner had died
            ProcessHandle postmaster = EmbeddedPostgresServer.runningOn(dir).orElseThrow();
            assertThat(postmaster.info().commandLine().orElse("")).contains("postgres", dir.toString());

            assertThat(EmbeddedPostgresServer.stop(postmaster, Duration.ofSeconds(20))).isTrue();

            assertThat(postmaster.isAlive()).isFalse();
            assertThat(EmbeddedPostgresServer.runningOn(dir)).isEmpty();
            // A data directory without a server, or without a live one, has nothing running on it.
            Path empty = Files.createTempDirectory("pg-none");
            try {
                assertThat(EmbeddedPostgresServer.runningOn(empty)).isEmpty();
            } finally {
                Directories.deleteRecursively(empty);
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    @Test
    void postgresWritesAndReadsAndKeepsDataInItsDirectory() throws Exception {
        Path dir = Files.createTempDirectory("pg-restart");
        try {
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, dir);
                 Connection c = DriverManager.getConnection(pg.jdbcUrl("infra_test"), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (v text)");
                s.execute("INSERT INTO t VALUES ('kept')");
            }
            try (EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(0, dir);
                 Connection c = DriverManager.getConnection(pg.jdbcUrl("infra_test"), EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT v FROM t")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("kept");
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }
}
