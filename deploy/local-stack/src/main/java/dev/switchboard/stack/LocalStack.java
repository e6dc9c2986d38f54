package dev.switchboard.stack;

import dev.switchboard.infra.EmbeddedKafka;
import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.infra.FreePorts;
import dev.switchboard.schemas.topics.TopicProvisioner;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.apache.kafka.clients.admin.Admin;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of Switchboard on one machine: a real Kafka broker and a real PostgreSQL, both keeping their data
 * under {@code .switchboard/data}, and the four services as child processes configured to use them.
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final StackSettings settings;
    private final PrintStream out;
    private EmbeddedKafka kafka;
    private EmbeddedPostgresServer postgres;
    private String jdbcUrl;
    private final List<ServiceProcess> services = new ArrayList<>();
    private volatile boolean closed;

    private LocalStack(StackSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Starts everything and waits until every service reports ready.
     *
     * @param environment added to each service's environment (on top of this process's own, which they inherit)
     */
    public static LocalStack start(StackSettings settings, Map<String, String> environment, PrintStream out) {
        return start(settings, environment, Map.of(), out);
    }

    /** As {@link #start(StackSettings, Map, PrintStream)}, with extra environment for single services (by name). */
    public static LocalStack start(StackSettings settings, Map<String, String> environment, Map<String, Map<String, String>> perService,
                                   PrintStream out) {
        LocalStack stack = new LocalStack(settings, out);
        try {
            stack.checkPortsAreFree();
            stack.startInfrastructure();
            stack.startServices(environment, perService);
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    private void checkPortsAreFree() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(settings.kafkaPort(), "Kafka (SWITCHBOARD_KAFKA_PORT)");
        ports.put(settings.kafkaControllerPort(), "the Kafka controller (SWITCHBOARD_KAFKA_CONTROLLER_PORT)");
        ports.put(settings.postgresPort(), "PostgreSQL (SWITCHBOARD_POSTGRES_PORT)");
        settings.services().forEach(s -> ports.put(s.port(), s.name()));
        List<String> taken = ports.entrySet().stream()
                .filter(e -> FreePorts.inUse(e.getKey()))
                .map(e -> "port " + e.getKey() + " (" + e.getValue() + ")")
                .toList();
        if (!taken.isEmpty()) {
            throw new StackException(String.join(", ", taken) + (taken.size() == 1 ? " is" : " are")
                    + " already in use. Stop what listens there (./switchboard down if it is an earlier stack), or pick"
                    + " another port with the variable named in brackets.");
        }
    }

    private void startInfrastructure() {
        out.println("starting Kafka on " + settings.kafkaHost() + ":" + settings.kafkaPort() + " (data in " + settings.root().relativize(settings.kafkaData()) + ")");
        kafka = new EmbeddedKafka(new EmbeddedKafka.Settings(settings.kafkaPort(), settings.kafkaControllerPort(),
                settings.kafkaHost(), settings.kafkaData(), 3, Map.of())).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            List<String> created = TopicProvisioner.createMissing(admin, (short) 1);
            if (!created.isEmpty()) {
                out.println("created topics " + String.join(", ", created));
            }
        }
        out.println("starting PostgreSQL on localhost:" + settings.postgresPort() + " (data in " + settings.root().relativize(settings.postgresData()) + ")");
        postgres = EmbeddedPostgresServer.start(settings.postgresPort(), settings.postgresData());
        jdbcUrl = postgres.jdbcUrl("switchboard");
    }

    private void startServices(Map<String, String> environment, Map<String, Map<String, String>> perService) {
        for (ServiceSpec spec : settings.services()) {
            Map<String, String> env = new HashMap<>(environment);
            env.putAll(perService.getOrDefault(spec.name(), Map.of()));
            env.put("QUARKUS_HTTP_PORT", Integer.toString(spec.port()));
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            if (spec.usesDatabase()) {
                env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
                env.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
                env.put("QUARKUS_DATASOURCE_PASSWORD", EmbeddedPostgresServer.PASSWORD);
            }
            out.println("starting " + spec.name() + " on " + spec.url() + " (log in " + settings.root().relativize(settings.logs()) + "/" + spec.name() + ".log)");
            services.add(ServiceProcess.start(spec, settings.root(), settings.logs(), env));
        }
        for (ServiceProcess service : services) {
            service.awaitReady(READY_TIMEOUT);
            out.println("ready: " + service.spec().name());
        }
    }

    /** The summary printed once everything is ready. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-20s %s%n", "Kafka", kafka.bootstrapServers()));
        text.append(String.format("%-20s %s (user %s)%n", "PostgreSQL", jdbcUrl, EmbeddedPostgresServer.USER));
        for (ServiceProcess service : services) {
            text.append(String.format("%-20s %s  (health %s/q/health, API %s/q/swagger-ui)%n", service.spec().name(),
                    service.spec().url(), service.spec().url(), service.spec().url()));
        }
        return text.toString();
    }

    /** A service that stopped although nobody asked it to. */
    public Optional<String> failedService() {
        return services.stream().filter(s -> !s.isAlive()).findFirst()
                .map(s -> s.spec().name() + " stopped unexpectedly; its log " + s.log() + " ends with:\n" + s.tail(20));
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String url(String service) {
        return settings.services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + service)).url();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Services first (they flush to Kafka and PostgreSQL as they stop), all at once, then the infrastructure.
        services.forEach(ServiceProcess::requestStop);
        services.forEach(s -> s.awaitStop(STOP_GRACE));
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                out.println("PostgreSQL: " + e.getMessage());
            }
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
