package dev.switchboard.stack;

import dev.switchboard.stack.StackSettings.ServiceSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A service of the stack, kept running: when its process dies on its own, the stack says so (exit code, the end
 * of its log) and starts it again after a {@link RestartPolicy} delay; when the policy's limit is used up it
 * reports the reason to whoever decides to stop the stack (both through {@link Restarts}, as for PostgreSQL's
 * {@link SupervisedPostgres}). Every start runs on the stack's supervisor thread, which lives as long as the stack,
 * so that the services die with it ({@link ParentDeathSignal}).
 */
final class SupervisedService {
    private static final int TAIL_LINES = 15;

    private final ServiceSpec spec;
    private final StackSettings settings;
    private final Map<String, String> environment;
    private final ScheduledExecutorService supervisor;
    private final PrintStream out;
    private final Duration readyTimeout;
    private final Restarts restarts;
    private volatile ServiceProcess current;
    /** Set once the first run was ready: a death before that fails the stack's start instead. */
    private volatile boolean supervising;
    private volatile boolean stopping;
    /** The run whose death was last handled (the ready check may report it a second time). */
    private ServiceProcess handled;

    SupervisedService(ServiceSpec spec, StackSettings settings, Map<String, String> environment, ScheduledExecutorService supervisor,
                      Duration readyTimeout, PrintStream out, Consumer<String> limitExceeded) {
        this.spec = spec;
        this.settings = settings;
        this.environment = Map.copyOf(environment);
        this.supervisor = supervisor;
        this.readyTimeout = readyTimeout;
        this.out = out;
        this.restarts = new Restarts(spec.name(), settings.restarts(), supervisor, out, limitExceeded);
    }

    /** The first start, with a fresh log; returns once the process runs (see {@link #awaitReady()}). */
    void start() {
        try {
            supervisor.submit(() -> launch(false)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting " + spec.name());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StackException stack ? stack
                    : new StackException("cannot start " + spec.name() + ": " + e.getCause(), e.getCause());
        }
    }

    /** Waits until the first run reports ready, from when on the service is restarted when it dies. */
    void awaitReady() {
        current.awaitReady(readyTimeout);
        supervising = true;
        // It may have died between its ready answer and now.
        ServiceProcess run = current;
        if (!run.isAlive()) {
            run.onExit().thenAcceptAsync(this::exited, supervisor);
        }
    }

    /** No more restarts: the stack is stopping. */
    void requestStop() {
        stopping = true;
        ServiceProcess run = current;
        if (run != null) {
            run.requestStop();
        }
    }

    void awaitStop(Duration grace) {
        ServiceProcess run = current;
        if (run != null) {
            run.awaitStop(grace);
        }
        deleteQuietly(settings.pidFile(spec));
    }

    ServiceSpec spec() {
        return spec;
    }

    Optional<Long> pid() {
        ServiceProcess run = current;
        return run != null && run.isAlive() ? Optional.of(run.pid()) : Optional.empty();
    }

    int restartCount() {
        return restarts.count();
    }

    /** On the supervisor thread: starts a run and watches it. */
    private ServiceProcess launch(boolean restart) {
        ServiceProcess run = ServiceProcess.start(spec, settings.root(), settings.logs(), environment, restart);
        current = run;
        if (stopping) {
            run.requestStop(); // the stack began to stop while this run was starting
        }
        writePidFile(run.pid());
        run.onExit().thenAcceptAsync(this::exited, supervisor);
        return run;
    }

    /** On the supervisor thread: a run ended. Restart it, or report that the limit is used up. */
    private synchronized void exited(ServiceProcess run) {
        if (stopping || !supervising || run != current || handled == run) {
            return;
        }
        handled = run;
        String exit = ServiceProcess.describeExit(run.exitCode());
        out.printf("%s %s after %s; the end of %s:%n%s%n", spec.name(), exit, Durations.seconds(run.uptime().toNanos()),
                settings.shown(run.log()), indent(run.tail(TAIL_LINES)));
        long diedAt = System.nanoTime();
        if (!restarts.afterDeath(exit, "; see " + settings.shown(run.log()), restart -> restart(restart, exit, diedAt))) {
            deleteQuietly(settings.pidFile(spec));
        }
    }

    private void restart(int restart, String exit, long diedAt) {
        if (stopping) {
            return;
        }
        restarts.begin();
        appendToLog("==== switchboard: " + spec.name() + " " + exit + "; restart " + restart + " at " + Instant.now() + " ====");
        ServiceProcess run;
        try {
            run = launch(true);
        } catch (StackException e) {
            restarts.failed(e.getMessage());
            return;
        }
        Thread.ofVirtual().name("ready-" + spec.name()).start(() -> {
            try {
                run.awaitReady(readyTimeout);
                out.printf("%s is ready again (restart %d, pid %d, %s after it stopped)%n", spec.name(), restart, run.pid(),
                        Durations.seconds(System.nanoTime() - diedAt));
            } catch (StackException e) {
                if (run.isAlive() && !stopping) {
                    out.println("warning: " + e.getMessage());
                }
                // A run that died while starting is handled by exited(), like any other death.
            }
        });
    }

    private void writePidFile(long pid) {
        try {
            Files.createDirectories(settings.stateDirectory());
            Files.writeString(settings.pidFile(spec), Long.toString(pid));
        } catch (IOException e) {
            out.println("warning: cannot write " + settings.pidFile(spec) + ": " + e.getMessage());
        }
    }

    private void appendToLog(String line) {
        try {
            Files.writeString(settings.logs().resolve(spec.name() + ".log"), System.lineSeparator() + line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // the console says it too
        }
    }

    private static String indent(String text) {
        return text.lines().map(line -> "    | " + line).collect(Collectors.joining(System.lineSeparator()));
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to do
        }
    }
}
