package dev.switchboard.stack;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where the local stack runs: the repository it runs from, where it keeps data and logs, its ports, which
 * services it runs and how it restarts them. Each can be changed with an environment variable (see
 * {@link #fromEnvironment}).
 */
public record StackSettings(Path root, Path stateDirectory, String kafkaHost, int kafkaPort, int kafkaControllerPort,
                            int postgresPort, List<ServiceSpec> services, RestartPolicy restarts) {

    /** Every service the stack can run, in the order it starts them. */
    public static final List<String> SERVICES = List.of("context-gateway", "transcript-service", "call-controller", "agent-worker");

    public StackSettings {
        services = List.copyOf(services);
    }

    /**
     * The standard ports (Kafka 9092, PostgreSQL 5432, services 8080-8083), state in {@code .switchboard}, all four
     * services, {@link RestartPolicy#DEFAULT}; each overridable by an environment variable.
     */
    public static StackSettings fromEnvironment(Path root, Map<String, String> env) {
        List<ServiceSpec> all = SERVICES.stream()
                .map(name -> new ServiceSpec(name, servicePort(env, name), name.equals("transcript-service"))).toList();
        return new StackSettings(root, stateDirectory(root, env), "localhost",
                port(env, "SWITCHBOARD_KAFKA_PORT", 9092),
                port(env, "SWITCHBOARD_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "SWITCHBOARD_POSTGRES_PORT", 5432),
                selected(all, env.get("SWITCHBOARD_SERVICES")),
                RestartPolicy.DEFAULT.withLimit(count(env, "SWITCHBOARD_RESTART_LIMIT", RestartPolicy.DEFAULT.limit())));
    }

    /** The environment variable that sets a service's port. */
    public static Optional<String> portVariable(String service) {
        return Optional.ofNullable(switch (service) {
            case "context-gateway" -> "SWITCHBOARD_GATEWAY_PORT";
            case "transcript-service" -> "SWITCHBOARD_TRANSCRIPTS_PORT";
            case "call-controller" -> "SWITCHBOARD_CONTROLLER_PORT";
            case "agent-worker" -> "SWITCHBOARD_WORKER_PORT";
            default -> null;
        });
    }

    /**
     * The port a service of the stack listens on: its variable's value, else the standard port. Known whether or not
     * the stack runs it (SWITCHBOARD_SERVICES), so that a client finds a service run from an IDE on the same port.
     */
    public static int servicePort(Map<String, String> env, String service) {
        int standard = switch (service) {
            case "context-gateway" -> 8080;
            case "transcript-service" -> 8081;
            case "call-controller" -> 8082;
            case "agent-worker" -> 8083;
            default -> throw new IllegalArgumentException("not a service of the stack: " + service);
        };
        return port(env, portVariable(service).orElseThrow(), standard);
    }

    static final String STATE_DIR_VARIABLE = "SWITCHBOARD_STATE_DIR";

    /** Where the stack keeps its state: SWITCHBOARD_STATE_DIR (relative to the checkout unless absolute), else .switchboard. */
    public static Path stateDirectory(Path root, Map<String, String> env) {
        String stateDirectory = env.get(STATE_DIR_VARIABLE);
        return stateDirectory == null || stateDirectory.isBlank() ? root.resolve(".switchboard") : root.resolve(stateDirectory.trim());
    }

    /** The services named in a comma-separated list (all when there is none), in the stack's order. */
    private static List<ServiceSpec> selected(List<ServiceSpec> all, String names) {
        if (names == null || names.isBlank()) {
            return all;
        }
        Set<String> wanted = Arrays.stream(names.split(",")).map(String::trim).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
        Set<String> known = all.stream().map(ServiceSpec::name).collect(Collectors.toSet());
        List<String> unknown = wanted.stream().filter(n -> !known.contains(n)).sorted().toList();
        if (!unknown.isEmpty() || wanted.isEmpty()) {
            throw new StackException("SWITCHBOARD_SERVICES=" + names + (unknown.isEmpty() ? " names no service" : " names unknown "
                    + String.join(", ", unknown)) + "; choose from " + all.stream().map(ServiceSpec::name).collect(Collectors.joining(",")));
        }
        return all.stream().filter(s -> wanted.contains(s.name())).toList();
    }

    private static int count(Map<String, String> env, String variable, int defaultValue) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            int count = Integer.parseInt(value.trim());
            if (count < 0) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new StackException(variable + "=" + value + " is not a count (0 or more)");
        }
    }

    private static int port(Map<String, String> env, String variable, int defaultPort) {
        String value = env.get(variable);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new StackException(variable + "=" + value + " is not a port number (1-65535)");
        }
    }

    /** A path as the stack's messages show it: relative to the checkout when it lies within. */
    public String shown(Path path) {
        return path.startsWith(root) ? root.relativize(path).toString() : path.toString();
    }

    public Path kafkaData() {
        return stateDirectory.resolve("data/kafka");
    }

    public Path postgresData() {
        return stateDirectory.resolve("data/postgres");
    }

    /** PostgreSQL's own log: the server's messages, and initdb's and pg_ctl's output. */
    public Path postgresLog() {
        return logs().resolve("postgresql.log");
    }

    /** Kafka's log, and the stack's own libraries'. */
    public Path infrastructureLog() {
        return logs().resolve("infrastructure.log");
    }

    /** The log of a service of the stack (whether or not it runs it this time). */
    public Path serviceLog(String service) {
        return logs().resolve(service + ".log");
    }

    public Path logs() {
        return stateDirectory.resolve("logs");
    }

    /** The stack's own process id, for ./switchboard down and for refusing a second stack. */
    public Path pidFile() {
        return stateDirectory.resolve("stack.pid");
    }

    /** The process id of a service the stack runs, so that a later stack can recognise it as left over. */
    public Path pidFile(ServiceSpec service) {
        return stateDirectory.resolve(service.name() + ".pid");
    }

    /** A Switchboard service of the stack: its module directory name and HTTP port. */
    public record ServiceSpec(String name, int port, boolean usesDatabase) {
        public Path application(Path root) {
            return application(root, name);
        }

        /** The packaged application of a service of the checkout at {@code root}. */
        public static Path application(Path root, String service) {
            return root.resolve(service).resolve("target/quarkus-app/quarkus-run.jar");
        }

        public String url() {
            return "http://localhost:" + port;
        }
    }
}
