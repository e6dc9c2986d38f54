package dev.switchboard.testing.sfu;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link FakeSfu} in a child JVM (same classpath), so that a libwebrtc abort in the SFU cannot take the
 * test JVM down. Waits for its ready line, keeps its output in a log file, and hands out the URL, tokens and
 * the {@link FakeSfuControl control client}.
 */
public final class FakeSfuProcess implements AutoCloseable {

    /** How to start it. {@code logFile} null: a temporary file. */
    public record Options(String apiKey, String apiSecret, Path logFile, List<String> jvmArgs, Duration startTimeout) {
        public static Options defaults() {
            return new Options("devkey", "fake-sfu-secret-0123456789abcdef", null,
                    List.of("-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1", "-Xshare:auto"), Duration.ofSeconds(30));
        }

        public Options withLogFile(Path file) {
            return new Options(apiKey, apiSecret, file, jvmArgs, startTimeout);
        }
    }

    private final Options options;
    private final Process process;
    private final Path logFile;
    private final int port;
    private final FakeSfuControl control;
    private final Thread pump;

    private FakeSfuProcess(Options options, Process process, Path logFile, int port, Thread pump) {
        this.options = options;
        this.process = process;
        this.logFile = logFile;
        this.port = port;
        this.pump = pump;
        this.control = new FakeSfuControl("http://127.0.0.1:" + port, this::diagnostics);
    }

    public static FakeSfuProcess start() throws IOException {
        return start(Options.defaults());
    }

    public static FakeSfuProcess start(Options options) throws IOException {
        Path log = options.logFile() != null ? options.logFile() : Files.createTempFile("fake-sfu-", ".log");
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(options.jvmArgs());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("fake.sfu.classpath", System.getProperty("java.class.path")));
        cmd.add(FakeSfu.class.getName());
        cmd.add("--port=0");
        cmd.add("--api-key=" + options.apiKey());
        cmd.add("--api-secret=" + options.apiSecret());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<Integer> ready = new CompletableFuture<>();
        ArrayDeque<String> tail = new ArrayDeque<>();
        BufferedWriter writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING);
        Thread pump = Thread.ofPlatform().daemon().name("fake-sfu-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                    writer) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (!ready.isDone() && line.startsWith(FakeSfu.READY_LINE)) {
                        ready.complete(Integer.parseInt(line.substring(FakeSfu.READY_LINE.length()).trim()));
                    }
                    writer.write(line);
                    writer.newLine();
                    writer.flush();
                    synchronized (tail) {
                        if (tail.size() == 200) {
                            tail.removeFirst();
                        }
                        tail.addLast(line);
                    }
                }
            } catch (IOException ignored) {
            } finally {
                ready.completeExceptionally(new IOException("the fake SFU exited before it was ready"));
            }
        });
        int port;
        try {
            port = ready.get(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            String out;
            synchronized (tail) {
                out = String.join("\n", tail);
            }
            throw new IOException("the fake SFU did not start (" + e.getMessage() + "); its output:\n" + out, e);
        }
        return new FakeSfuProcess(options, p, log, port, pump);
    }

    /** The URL a LiveKit client connects to. */
    public String url() {
        return "ws://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String apiKey() {
        return options.apiKey();
    }

    public String apiSecret() {
        return options.apiSecret();
    }

    /** A valid room token for this SFU. */
    public String token(String identity, String room) {
        return AccessTokens.mint(options.apiKey(), options.apiSecret(), AccessTokens.Grant.join(identity, room));
    }

    public String token(AccessTokens.Grant grant) {
        return AccessTokens.mint(options.apiKey(), options.apiSecret(), grant);
    }

    public FakeSfuControl control() {
        return control;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Optional<Integer> exitCode() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exitValue());
    }

    /** CPU time the SFU process used so far (as the OS reports it). */
    public Optional<Duration> cpuTime() {
        return process.toHandle().info().totalCpuDuration();
    }

    public Path logFile() {
        return logFile;
    }

    /** The state of the process and the end of its output, for failure messages. */
    public String diagnostics() {
        StringBuilder b = new StringBuilder("fake SFU pid ").append(process.pid())
                .append(process.isAlive() ? " (running)" : " (exited with " + process.exitValue() + ")")
                .append(", log ").append(logFile).append('\n');
        try {
            List<String> lines = Files.readAllLines(logFile);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> b.append("  | ").append(l).append('\n'));
        } catch (IOException e) {
            b.append("  (log unreadable: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }

    /** Asks the SFU to stop, then ends the process if it does not. */
    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                control.shutdown();
            } catch (RuntimeException ignored) {
            }
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroy();
                    if (!process.waitFor(3, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                        process.waitFor(3, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        try {
            pump.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
