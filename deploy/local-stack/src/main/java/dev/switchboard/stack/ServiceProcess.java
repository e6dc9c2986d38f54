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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One run of a service of the stack: a child JVM, its output in a log file. {@link SupervisedService} restarts it. */
final class ServiceProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServiceSpec spec;
    private final Path log;
    private final Process process;
    private final long startedAt = System.nanoTime();

    private ServiceProcess(ServiceSpec spec, Path log, Process process) {
        this.spec = spec;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts the service. The child is killed by the kernel when the thread that starts it ends (see
     * {@link ParentDeathSignal}), so call this from a thread that lives as long as the stack.
     *
     * @param environment added to the environment this process passes on; a null value removes that variable
     * @param appendToLog false starts a fresh log (a new stack; the last run's is kept as .log.1), true keeps what an earlier run wrote (a restart)
     */
    static ServiceProcess start(ServiceSpec spec, Path root, Path logDirectory, Map<String, String> environment, boolean appendToLog) {
        Path application = spec.application(root);
        if (!Files.isRegularFile(application)) {
            throw new StackException(spec.name() + " is not built (" + root.relativize(application) + " is missing); run ./switchboard up, which builds it");
        }
        try {
            Files.createDirectories(logDirectory);
            Path log = logDirectory.resolve(spec.name() + ".log");
            if (!appendToLog) {
                PreviousRunLog.keep(log);
            }
            List<String> command = new ArrayList<>(ParentDeathSignal.commandPrefix());
            command.addAll(List.of(javaExecutable(), "-XX:+UseSerialGC", "-Xss512k",
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-jar", application.toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(appendToLog ? ProcessBuilder.Redirect.appendTo(log.toFile()) : ProcessBuilder.Redirect.to(log.toFile()));
            // A null value removes a variable this process would pass on.
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
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
                throw new StackException(spec.name() + " " + describeExit(exitCode()) + " while starting; its log "
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

    /** Completes when the process has ended, however it ended. */
    CompletableFuture<ServiceProcess> onExit() {
        return process.onExit().thenApply(p -> this);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitCode() {
        return process.exitValue();
    }

    /** How long this run lasted, up to now while it runs. */
    Duration uptime() {
        return Duration.ofNanos(System.nanoTime() - startedAt);
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

    /** "exited with code 137 (killed by SIGKILL)": a JVM killed by a signal exits with 128 + the signal's number. */
    static String describeExit(int code) {
        String text = "exited with code " + code;
        if (code > 128 && code < 128 + 32) {
            String signal = switch (code - 128) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 3 -> "SIGQUIT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + (code - 128);
            };
            text += " (killed by " + signal + ")";
        }
        return text;
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
