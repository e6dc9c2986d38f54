package dev.switchboard.stack;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where the local stack runs: the repository it runs from, where it keeps data and logs, and its ports.
 * Every port can be changed with an environment variable (see {@link #fromEnvironment}).
 */
public record StackSettings(Path root, Path stateDirectory, String kafkaHost, int kafkaPort, int kafkaControllerPort,
                            int postgresPort, List<ServiceSpec> services) {

    public StackSettings {
        services = List.copyOf(services);
    }

    /** The standard ports (Kafka 9092, PostgreSQL 5432, services 8080-8083), each overridable by an environment variable. */
    public static StackSettings fromEnvironment(Path root, Map<String, String> env) {
        return new StackSettings(root, root.resolve(".switchboard"), "localhost",
                port(env, "SWITCHBOARD_KAFKA_PORT", 9092),
                port(env, "SWITCHBOARD_KAFKA_CONTROLLER_PORT", 9093),
                port(env, "SWITCHBOARD_POSTGRES_PORT", 5432),
                List.of(
                        new ServiceSpec("context-gateway", port(env, "SWITCHBOARD_GATEWAY_PORT", 8080), false),
                        new ServiceSpec("transcript-service", port(env, "SWITCHBOARD_TRANSCRIPTS_PORT", 8081), true),
                        new ServiceSpec("call-controller", port(env, "SWITCHBOARD_CONTROLLER_PORT", 8082), false),
                        new ServiceSpec("agent-worker", port(env, "SWITCHBOARD_WORKER_PORT", 8083), false)));
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

    public Path kafkaData() {
        return stateDirectory.resolve("data/kafka");
    }

    public Path postgresData() {
        return stateDirectory.resolve("data/postgres");
    }

    public Path logs() {
        return stateDirectory.resolve("logs");
    }

    public Path pidFile() {
        return stateDirectory.resolve("stack.pid");
    }

    /** A Switchboard service of the stack: its module directory name and HTTP port. */
    public record ServiceSpec(String name, int port, boolean usesDatabase) {
        public Path application(Path root) {
            return root.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        }

        public String url() {
            return "http://localhost:" + port;
        }
    }
}
