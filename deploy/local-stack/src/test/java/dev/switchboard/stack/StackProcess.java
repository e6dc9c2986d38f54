package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The stack as {@code ./switchboard up} runs it: {@link LocalStackMain} in a JVM of its own (started with this
 * module's classes, which is what the packaged jar holds), its console in a file. Ports and the state directory come
 * from the environment, as for a user.
 */
final class StackProcess implements AutoCloseable {
    private final Process process;
    private final Path console;

    private StackProcess(Process process, Path console) {
        this.process = process;
        this.console = console;
    }

    /** The environment of a stack on free ports, keeping its state in {@code stateDirectory}. */
    static Map<String, String> environment(Path stateDirectory, String services) {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_STATE_DIR", stateDirectory.toString());
        env.put("SWITCHBOARD_SERVICES", services);
        for (String variable : List.of("SWITCHBOARD_KAFKA_PORT", "SWITCHBOARD_KAFKA_CONTROLLER_PORT", "SWITCHBOARD_POSTGRES_PORT",
                "SWITCHBOARD_GATEWAY_PORT", "SWITCHBOARD_TRANSCRIPTS_PORT", "SWITCHBOARD_CONTROLLER_PORT", "SWITCHBOARD_WORKER_PORT")) {
            env.put(variable, Integer.toString(FreePorts.pick()));
        }
        return env;
    }

    static StackProcess start(Map<String, String> environment, Path console) {
        String java = ProcessHandle.current().info().command().orElseThrow();
        try {
            Files.createDirectories(console.getParent());
            ProcessBuilder builder = new ProcessBuilder(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED",
                    "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                    LocalStackMain.class.getName(), TestStacks.repositoryRoot().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(console.toFile());
            builder.environment().putAll(environment);
            return new StackProcess(builder.start(), console);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String console() {
        try {
            return Files.readString(console);
        } catch (IOException e) {
            return "";
        }
    }

    /** Waits until the console shows the text; fails early, with the console, when the stack exits. */
    void awaitConsole(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!console().contains(text)) {
            if (!process.isAlive() && !console().contains(text)) {
                throw new AssertionError("the stack exited (" + process.exitValue() + ") before printing \"" + text + "\":\n" + console());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the stack did not print \"" + text + "\" within " + timeout + ":\n" + console());
            }
            pause(200);
        }
    }

    long pid() {
        return process.pid();
    }

    ProcessHandle handle() {
        return process.toHandle();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** kill -9: the stack gets no chance to stop anything. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(10));
    }

    /** What ./switchboard down does: SIGTERM, on which the stack stops everything in order. */
    int terminate(Duration timeout) {
        process.destroy();
        return awaitExit(timeout);
    }

    int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the stack did not exit within " + timeout + ":\n" + console());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The process whose id a pid file in the state directory names, while it runs. */
    static Optional<ProcessHandle> recorded(Path pidFile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The postmaster of the PostgreSQL that runs from the stack's data directory. */
    static Optional<ProcessHandle> postgres(Path stateDirectory) {
        try {
            List<String> lines = Files.readAllLines(stateDirectory.resolve("data/postgres/postmaster.pid"));
            return ProcessHandle.of(Long.parseLong(lines.getFirst().trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static boolean awaitGone(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (process.isAlive()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause(100);
        }
        return true;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Whatever happened in the test, nothing of this stack stays behind. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
