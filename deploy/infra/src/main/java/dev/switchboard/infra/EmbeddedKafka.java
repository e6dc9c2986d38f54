package dev.switchboard.infra;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A real Apache Kafka broker in this JVM: one combined broker and controller node in KRaft mode,
 * started from Kafka's own server classes (no Docker, no test kit). Used by the tests and by the local stack.
 *
 * <p>Start-up is retried (with fresh ports when they were picked at random), because on a loaded
 * machine a broker can lose its port to another process or time out on its first election; a failed
 * attempt is shut down before the next one so no half-started threads keep the JVM alive.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(EmbeddedKafka.class.getName());
    private static final String CLUSTER_ID = "c3dpdGNoYm9hcmQta2Fma2E"; // fixed: the local stack reuses its data directory

    private final Settings settings;
    private final boolean ownsDataDirectory;
    private final Path dataDirectory;
    private KafkaRaftServer server;
    private int port;
    private int controllerPort;

    /**
     * @param port            the client port; 0 picks a free one
     * @param controllerPort  the KRaft controller port; 0 picks a free one
     * @param host            the address to listen on and advertise
     * @param dataDirectory   where the log lives; null means a temporary directory deleted on close
     * @param startAttempts   how many times start-up is tried
     * @param overrides       extra broker properties
     */
    public record Settings(int port, int controllerPort, String host, Path dataDirectory, int startAttempts,
                           Map<String, String> overrides) {
        public Settings {
            overrides = Map.copyOf(overrides);
            if (startAttempts < 1) {
                throw new IllegalArgumentException("startAttempts must be at least 1");
            }
        }

        /** A broker for tests: random ports on the loopback address, a throw-away data directory. */
        public static Settings forTests() {
            return new Settings(0, 0, "127.0.0.1", null, 3, Map.of());
        }
    }

    public EmbeddedKafka(Settings settings) {
        this.settings = settings;
        this.ownsDataDirectory = settings.dataDirectory() == null;
        try {
            this.dataDirectory = ownsDataDirectory
                    ? Files.createTempDirectory("switchboard-kafka")
                    : Files.createDirectories(settings.dataDirectory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the Kafka data directory", e);
        }
    }

    /** Starts the broker and waits until it answers; throws when every attempt failed. */
    public EmbeddedKafka start() {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= settings.startAttempts(); attempt++) {
            int clientPort = settings.port() == 0 ? FreePorts.pick() : settings.port();
            int controllerPort = settings.controllerPort() == 0 ? FreePorts.pick() : settings.controllerPort();
            try {
                startOnce(clientPort, controllerPort);
                this.port = clientPort;
                this.controllerPort = controllerPort;
                return this;
            } catch (RuntimeException e) {
                last = e;
                LOG.log(Level.WARNING, "Kafka start-up attempt " + attempt + " failed: " + e, e);
                stopQuietly();
            }
        }
        throw new IllegalStateException("Kafka did not start after " + settings.startAttempts() + " attempts", last);
    }

    /**
     * Stops the broker and starts it again in place: the same ports and data directory, so topics, records,
     * committed offsets and consumer groups survive, and clients reconnect to the address they know. For fault
     * injection (a broker restart) and for the local stack.
     *
     * @return how long the broker was unavailable
     */
    public Duration restart() {
        return restart(Duration.ZERO);
    }

    /**
     * As {@link #restart()}, staying down for {@code downtime} before starting again: a broker that takes long to
     * come back (a node replaced, a slow disk), longer than the clients' timeouts.
     */
    public Duration restart(Duration downtime) {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        long stopped = System.nanoTime();
        stopQuietly();
        sleep(downtime.toMillis());
        RuntimeException last = null;
        for (int attempt = 1; attempt <= settings.startAttempts(); attempt++) {
            try {
                startOnce(port, controllerPort);
                return Duration.ofNanos(System.nanoTime() - stopped);
            } catch (RuntimeException e) {
                // The ports are ours: a retry only waits for the operating system to let go of them.
                last = e;
                LOG.log(Level.WARNING, "Kafka restart attempt " + attempt + " failed: " + e, e);
                stopQuietly();
                sleep(1000);
            }
        }
        throw new IllegalStateException("Kafka did not start again after " + settings.startAttempts() + " attempts", last);
    }

    private void startOnce(int clientPort, int controllerPort) {
        Properties props = brokerProperties(clientPort, controllerPort);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        format(config);
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        awaitReady(settings.host() + ":" + clientPort, Duration.ofSeconds(60));
    }

    private Properties brokerProperties(int clientPort, int controllerPort) {
        String host = settings.host();
        Map<String, String> p = new HashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
        p.put("listeners", "PLAINTEXT://" + host + ":" + clientPort + ",CONTROLLER://" + host + ":" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dataDirectory.toString());
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        p.putAll(settings.overrides());
        Properties props = new Properties();
        props.putAll(p);
        return props;
    }

    private void format(KafkaConfig config) {
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(config.nodeId())
                    .setClusterId(CLUSTER_ID)
                    .setDirectories(config.logDirs())
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setControllerListenerName(config.controllerListenerNames().getFirst())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the Kafka log directory " + dataDirectory, e);
        }
    }

    private static void awaitReady(String bootstrap, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    if (!admin.describeCluster().nodes().get(10, TimeUnit.SECONDS).isEmpty()) {
                        return;
                    }
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("Kafka at " + bootstrap + " did not become ready in " + timeout, e);
                    }
                }
                sleep(100);
            }
        }
    }

    public String bootstrapServers() {
        if (server == null) {
            throw new IllegalStateException("Kafka is not running");
        }
        return settings.host() + ":" + port;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    @Override
    public void close() {
        stopQuietly();
        if (ownsDataDirectory) {
            Directories.deleteRecursively(dataDirectory);
        }
    }

    private void stopQuietly() {
        KafkaRaftServer running = server;
        server = null;
        if (running == null) {
            return;
        }
        try {
            running.shutdown();
            running.awaitShutdown();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Kafka did not shut down cleanly", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }
}
