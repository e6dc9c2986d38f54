package dev.switchboard.testing;

import dev.switchboard.infra.EmbeddedKafka;
import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.schemas.topics.TopicProvisioner;
import org.apache.kafka.clients.admin.Admin;

import java.util.Map;

/**
 * One real Kafka broker and one real PostgreSQL per test JVM, started on first use and stopped when the JVM
 * exits. Addresses are kept in system properties, so test classes loaded by different class loaders
 * (Quarkus restarts an application per test profile) still share one broker and one database.
 */
public final class SharedInfrastructure {
    static final String KAFKA_PROPERTY = "switchboard.test.kafka.bootstrap-servers";
    static final String POSTGRES_PROPERTY = "switchboard.test.postgres.port";

    private SharedInfrastructure() {
    }

    /** The bootstrap servers of the shared broker, with every catalogue topic created. */
    public static synchronized String kafkaBootstrapServers() {
        String running = System.getProperty(KAFKA_PROPERTY);
        if (running != null) {
            return running;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(EmbeddedKafka.Settings.forTests()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(kafka::close, "stop-test-kafka"));
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            TopicProvisioner.createMissing(admin, (short) 1);
        }
        System.setProperty(KAFKA_PROPERTY, kafka.bootstrapServers());
        return kafka.bootstrapServers();
    }

    /** The port of the shared PostgreSQL server. */
    public static synchronized int postgresPort() {
        String running = System.getProperty(POSTGRES_PROPERTY);
        if (running != null) {
            return Integer.parseInt(running);
        }
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(0, null);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close, "stop-test-postgres"));
        System.setProperty(POSTGRES_PROPERTY, Integer.toString(postgres.port()));
        return postgres.port();
    }

    /** The JDBC URL of a database on the shared server, created if missing. */
    public static String jdbcUrl(String database) {
        return EmbeddedPostgresServer.jdbcUrl(postgresPort(), database);
    }
}
