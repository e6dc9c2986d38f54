package dev.switchboard.stack;

import dev.switchboard.stack.StackSettings.ServiceSpec;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One service of the stack running as a child JVM, its output in a log file. */
final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceSpec spec;
    private final Path log;
    private final Process process;

    private ServiceProcess(ServiceSpec spec, Path log, Process process) {
        this.spec = spec;
        this.log = log;
        this.process = process;
    }

    static ServiceProcess start(ServiceSpec spec, Path root, Path logDirectory, Map<String, String> environment) {
        Path application = spec.application(root);
        if (!Files.isRegularFile(application)) {
            throw new StackException(spec.name() + " is not built (" + root.relativize(application) + " is missing); run ./switchboard up, which builds it");
        }
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(spec.name() + ".log");
            ProcessBuilder builder = new ProcessBuilder(List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xss512k",
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", application.toString()))
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(environment);
            return new ServiceProcess(spec, log, builder.start());
        } catch (IOException e) {
            throw new StackException("cannot start " + spec.name() + ": " + e.getMessage(), e);
        }
    }

    /** Waits until /q/health/ready answers 200; fails early when the process dies. */
    void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(spec.url() + "/q/health/ready")).timeout(Duration.ofSeconds(3)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StackException(spec.name() + " exited with code " + process.exitValue() + " while starting; its log "
                        + log + " ends with:\n" + tail(20));
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for " + spec.name());
            }
            sleep(250);
        }
        throw new StackException(spec.name() + " did not report ready within " + timeout.toSeconds() + " s; see " + log + ":\n" + tail(20));
    }

    /** Asks the service to stop: SIGTERM, on which Quarkus shuts down gracefully. */
    void requestStop() {
        process.destroy();
    }

    /** Waits for the service to stop after {@link #requestStop()}, killing it when the grace period runs out. */
    void awaitStop(Duration grace) {
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    ServiceSpec spec() {
        return spec;
    }

    Path log() {
        return log;
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
