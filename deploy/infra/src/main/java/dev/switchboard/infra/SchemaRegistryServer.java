package dev.switchboard.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real schema registry as a child process: the Apicurio Registry (in-memory storage) that {@code deploy/schema-registry}
 * builds, on a free port, for the tests of the registry mode. It speaks Apicurio's v2 API ({@link #apiUrl()}) and
 * Confluent's ({@link #confluentUrl()}). Its log goes to a temporary file, quoted when it fails to start.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final String baseUrl;

    private SchemaRegistryServer(Process process, String baseUrl) {
        this.process = process;
        this.baseUrl = baseUrl;
    }

    /** Starts the registry built in the repository this test runs in (found from the working directory upwards). */
    public static SchemaRegistryServer start() {
        Path jar = builtJar().orElseThrow(() -> new IllegalStateException("no registry built in deploy/schema-registry/target:"
                + " build it first (mvn -pl deploy/schema-registry package), or run the tests through the reactor"));
        try {
            int port = FreePorts.pick();
            Path log = Files.createTempFile("schema-registry", ".log");
            // One database connection: the in-memory (H2) storage answers concurrent first registrations of several
            // subjects (every service registering its schemas at once) with lock timeouts and 500s, for seconds; on
            // one connection they simply queue, a few milliseconds each.
            ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.datasource.jdbc.max-size=1",
                    "-Dquarkus.datasource.jdbc.min-size=1", "-Dquarkus.datasource.jdbc.initial-size=1", "-jar", jar.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("HTTP_PORT", Integer.toString(port));
            SchemaRegistryServer server = new SchemaRegistryServer(builder.start(), "http://localhost:" + port);
            server.awaitReady(log);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the schema registry", e);
        }
    }

    /** Apicurio's v2 API: one of the two {@code SWITCHBOARD_SCHEMA_REGISTRY_URL} may name. */
    public String apiUrl() {
        return baseUrl + "/apis/registry/v2";
    }

    /** Confluent's API (v7). */
    public String confluentUrl() {
        return baseUrl + "/apis/ccompat/v7";
    }

    private void awaitReady(Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the schema registry stopped at start:\n" + Files.readString(log));
            }
            try {
                HttpResponse<Void> ready = http.send(HttpRequest.newBuilder(URI.create(confluentUrl() + "/subjects")).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // try again below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the schema registry did not answer within " + START_TIMEOUT.toSeconds() + " s:\n" + Files.readString(log));
    }

    private static Optional<Path> builtJar() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path target = dir.resolve("deploy").resolve("schema-registry").resolve("target");
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.list(target)) {
                    return files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
