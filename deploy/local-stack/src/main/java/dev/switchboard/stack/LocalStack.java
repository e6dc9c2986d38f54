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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The whole of Switchboard on one machine: a real Kafka broker and a real PostgreSQL, both keeping their data
 * under {@code .switchboard/data}, and the four services as child processes configured to use them.
 *
 * <p>The services and PostgreSQL are supervised: one that dies is restarted ({@link SupervisedService},
 * {@link SupervisedPostgres}, {@link RestartPolicy}); when one has used up its restarts, {@link #failure()} completes
 * with the reason and whoever runs the stack stops it. Nothing the stack starts outlives it, however it ends:
 * {@link #close()} stops everything in order, and when the stack's process dies without closing, the kernel kills the
 * services ({@link ParentDeathSignal}) and {@link PostgresGuard} stops PostgreSQL. Whatever an earlier stack still
 * left running is stopped before this one starts ({@link Leftovers}).
 */
public final class LocalStack implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(150);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);

    private final StackSettings settings;
    private final PrintStream out;
    /** Starts and restarts the services, and must outlive them (see ParentDeathSignal). */
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("stack-supervisor").daemon(true).factory());
    private final CompletableFuture<String> failure = new CompletableFuture<>();
    private EmbeddedKafka kafka;
    private SupervisedPostgres postgres;
    private PostgresGuard postgresGuard;
    private String jdbcUrl;
    private final List<SupervisedService> services = new ArrayList<>();
    private final Map<String, Map<String, String>> environments = new HashMap<>();
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
            Leftovers.clean(settings, out);
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
        ports.put(settings.kafkaPort(), "Kafka, SWITCHBOARD_KAFKA_PORT");
        ports.put(settings.kafkaControllerPort(), "the Kafka controller, SWITCHBOARD_KAFKA_CONTROLLER_PORT");
        ports.put(settings.postgresPort(), "PostgreSQL, SWITCHBOARD_POSTGRES_PORT");
        settings.services().forEach(s -> ports.put(s.port(), s.name() + StackSettings.portVariable(s.name()).map(v -> ", " + v).orElse("")));
        List<String> taken = ports.entrySet().stream()
                .filter(e -> FreePorts.inUse(e.getKey()))
                .map(e -> "port " + e.getKey() + " (" + e.getValue() + ") is already in use"
                        + PortOwners.listeningOn(e.getKey()).map(owner -> " by " + PortOwners.describe(owner)).orElse(""))
                .toList();
        if (!taken.isEmpty()) {
            throw new StackException(String.join(";" + System.lineSeparator() + "  ", taken) + "." + System.lineSeparator()
                    + "Stop what listens there, or pick another port with the variable named in brackets.");
        }
    }

    private void startInfrastructure() {
        try {
            PrivateDirectory.ensure(settings.kafkaData().getParent());
        } catch (java.io.IOException e) {
            throw new StackException("cannot make the data directory " + settings.shown(settings.kafkaData().getParent())
                    + " private to you: " + e.getMessage(), e);
        }
        // PostgreSQL starts beside Kafka, on a thread of its own: neither needs the other, and the services start once
        // both run. Either failing fails the start once the other has finished (close() then stops what did start).
        out.println("starting Kafka on " + settings.kafkaHost() + ":" + settings.kafkaPort() + " (data in " + settings.shown(settings.kafkaData()) + ")");
        out.println("starting PostgreSQL on localhost:" + settings.postgresPort() + " (data in " + settings.shown(settings.postgresData()) + ")");
        // pg_ctl detaches PostgreSQL from this process: the guard stops it should this process die without closing.
        postgresGuard = PostgresGuard.watch(ProcessHandle.current(), settings.postgresData());
        CompletableFuture<SupervisedPostgres> startingPostgres = CompletableFuture.supplyAsync(
                () -> SupervisedPostgres.start(settings, supervisor, out, this::restartLimitExceeded),
                start -> Thread.ofPlatform().name("postgres-start").start(start));
        Throwable failure = null;
        try {
            kafka = new EmbeddedKafka(new EmbeddedKafka.Settings(settings.kafkaPort(), settings.kafkaControllerPort(),
                    settings.kafkaHost(), settings.kafkaData(), 3, Map.of())).start();
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                List<String> created = TopicProvisioner.createMissing(admin, (short) 1);
                if (!created.isEmpty()) {
                    out.println("created topics " + String.join(", ", created));
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        try {
            postgres = startingPostgres.join();
        } catch (CompletionException e) {
            if (failure == null) {
                failure = e.getCause();
            } else {
                failure.addSuppressed(e.getCause());
            }
        }
        switch (failure) {
            case null -> { }
            case RuntimeException runtime -> throw runtime;
            case Error error -> throw error;
            default -> throw new StackException("PostgreSQL did not start: " + failure, failure);
        }
        jdbcUrl = EmbeddedPostgresServer.jdbcUrl(settings.postgresPort(), "switchboard");
    }

    private void startServices(Map<String, String> environment, Map<String, Map<String, String>> perService) {
        if (!ParentDeathSignal.available()) {
            out.println("warning: setpriv (util-linux) is missing, so services cannot die with the stack if it is killed;"
                    + " the next ./switchboard up stops any it left running");
        }
        // Every API needs a bearer token: the services trust the stack's own key (./switchboard token signs with it).
        LocalAuth auth = LocalAuth.ensure(settings.stateDirectory());
        for (ServiceSpec spec : settings.services()) {
            Map<String, String> env = new HashMap<>(auth.serviceEnvironment(System.getenv()));
            env.putAll(ConsoleWiring.environment(settings, spec, System.getenv()));
            env.putAll(environment);
            env.putAll(perService.getOrDefault(spec.name(), Map.of()));
            env.put("QUARKUS_HTTP_PORT", Integer.toString(spec.port()));
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            if (spec.usesDatabase()) {
                env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
                env.put("QUARKUS_DATASOURCE_USERNAME", EmbeddedPostgresServer.USER);
                env.put("QUARKUS_DATASOURCE_PASSWORD", EmbeddedPostgresServer.PASSWORD);
            }
            environments.put(spec.name(), Map.copyOf(env));
            out.println("starting " + spec.name() + " on " + spec.url() + " (log in " + settings.shown(settings.logs()) + "/" + spec.name() + ".log)");
            SupervisedService service = new SupervisedService(spec, settings, env, supervisor, READY_TIMEOUT, out, this::restartLimitExceeded);
            services.add(service);
            service.start();
        }
        for (SupervisedService service : services) {
            service.awaitReady();
            out.println("ready: " + service.spec().name());
        }
    }

    private void restartLimitExceeded(String reason) {
        if (!closed) {
            failure.complete(reason);
        }
    }

    /** The web console's address, with a token that signs the browser in (see {@link ConsoleWiring#url}). */
    public Optional<String> consoleUrl() {
        return ConsoleWiring.url(settings, System.getenv());
    }

    /** The summary printed once everything is ready. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("%-20s %s%n", "Kafka", kafka.bootstrapServers()));
        text.append(String.format("%-20s %s (user %s)%n", "PostgreSQL", jdbcUrl, EmbeddedPostgresServer.USER));
        for (SupervisedService service : services) {
            String url = service.spec().url();
            text.append(String.format("%-20s %s  (health %s/q/health, API %s/q/swagger-ui)%n", service.spec().name(), url, url, url));
        }
        return text.toString();
    }

    /**
     * Completes with the reason when a service or PostgreSQL died once more than its {@link RestartPolicy} allows:
     * the stack cannot keep it running, and whoever runs it should stop it. Never completes otherwise.
     */
    public CompletableFuture<String> failure() {
        return failure;
    }

    /**
     * Stops the Kafka broker and starts it again on the same ports and data directory; the services' clients
     * reconnect by themselves.
     *
     * @return how long the broker was away
     */
    public Duration restartKafka() {
        return restartKafka(Duration.ZERO);
    }

    /** As {@link #restartKafka()}, the broker staying down for {@code downtime} before it starts again. */
    public Duration restartKafka(Duration downtime) {
        out.println("restarting Kafka on " + kafka.bootstrapServers() + (downtime.isZero() ? "" : ", down for " + Durations.describe(downtime)));
        Duration away = kafka.restart(downtime);
        out.println("Kafka is back after " + Durations.seconds(away.toNanos()));
        return away;
    }

    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String url(String service) {
        return service(service).spec().url();
    }

    /** The environment the stack gave a service (beyond the one it inherits), e.g. to start another instance of it. */
    public Map<String, String> environmentOf(String service) {
        Map<String, String> environment = environments.get(service);
        if (environment == null) {
            throw new IllegalArgumentException("the stack does not run " + service);
        }
        return environment;
    }

    /** The process id of a service's current run, while it runs. */
    public Optional<Long> pid(String service) {
        return service(service).pid();
    }

    /** The process id of PostgreSQL's postmaster, while it runs. */
    public Optional<Long> postgresPid() {
        return postgres.pid();
    }

    /** How many times the stack has restarted PostgreSQL. */
    public int postgresRestarts() {
        return postgres.restartCount();
    }

    /** How many times the stack has restarted a service. */
    public int restarts(String service) {
        return service(service).restartCount();
    }

    public StackSettings settings() {
        return settings;
    }

    private SupervisedService service(String name) {
        return services.stream().filter(s -> s.spec().name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no service " + name));
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (postgres != null) {
            postgres.requestStop(); // stopping it is no death to restart from
        }
        // Services first (they flush to Kafka and PostgreSQL as they stop), all at once, then the infrastructure.
        services.forEach(SupervisedService::requestStop);
        services.forEach(s -> s.awaitStop(STOP_GRACE));
        supervisor.shutdownNow();
        try {
            supervisor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (postgres != null) {
            try {
                postgres.close();
            } catch (RuntimeException e) {
                out.println("PostgreSQL: " + e.getMessage());
            }
        }
        if (postgresGuard != null) {
            postgresGuard.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
