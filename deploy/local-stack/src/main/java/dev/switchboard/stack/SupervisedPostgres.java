package dev.switchboard.stack;

import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.infra.FreePorts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The stack's PostgreSQL, kept running like its services: every {@link #CHECK_EVERY} the stack's supervisor thread
 * checks that the postmaster it started still runs; when it is gone (killed, out of memory) the stack says so and
 * starts PostgreSQL again on the same port and data directory, after the same {@link RestartPolicy} delays and within
 * the same limit as a service ({@link Restarts}); one death too many stops the stack.
 *
 * <p>Before starting it again the stack clears what the dead postmaster left: its {@code postmaster.pid} (PostgreSQL
 * refuses to start while the process that file names exists, and a killed postmaster may linger as a zombie, or its
 * pid go to another process), and its server processes, which end by themselves once they notice the postmaster is
 * gone but hold its shared memory until then (PostgreSQL refuses to start while they do). The transcript service
 * reconnects by itself.
 *
 * <p>{@link PostgresGuard} finds the current postmaster through {@code postmaster.pid} when the stack dies, so it
 * stops a restarted one as it stops the first.
 */
final class SupervisedPostgres implements AutoCloseable {
    static final Duration CHECK_EVERY = Duration.ofMillis(500);
    /** How long the dead postmaster's server processes get to end by themselves before they are killed. */
    private static final Duration LEFTOVER_GRACE = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedPostgres.class);

    private final StackSettings settings;
    private final PrintStream out;
    private final Restarts restarts;
    /** Held while PostgreSQL starts or stops. */
    private final Object lock = new Object();
    private EmbeddedPostgresServer server;
    private volatile ProcessHandle postmaster;
    /** The lock file of the postmaster's Unix socket, as its postmaster.pid names the socket's directory; null when none. */
    private volatile Path socketLockFile;
    private volatile long startedAt;
    /** Set from a death until PostgreSQL runs again: the checks wait for the restart. */
    private volatile boolean down;
    private volatile boolean stopping;
    private final ScheduledFuture<?> checks;

    private SupervisedPostgres(StackSettings settings, ScheduledExecutorService supervisor, PrintStream out, Consumer<String> limitExceeded) {
        this.settings = settings;
        this.out = out;
        this.restarts = new Restarts("PostgreSQL", settings.restarts(), supervisor, out, limitExceeded);
        launch();
        this.checks = supervisor.scheduleWithFixedDelay(this::check, CHECK_EVERY.toMillis(), CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Starts PostgreSQL and supervises it on {@code supervisor}.
     *
     * @param limitExceeded told the reason when it died once more than the policy allows
     */
    static SupervisedPostgres start(StackSettings settings, ScheduledExecutorService supervisor, PrintStream out,
                                    Consumer<String> limitExceeded) {
        return new SupervisedPostgres(settings, supervisor, out, limitExceeded);
    }

    /** The postmaster's process id, while it runs. */
    Optional<Long> pid() {
        ProcessHandle current = postmaster;
        return current != null && Processes.isRunning(current) ? Optional.of(current.pid()) : Optional.empty();
    }

    int restartCount() {
        return restarts.count();
    }

    /** Starts the server (the caller holds no lock: only the constructor and the supervisor thread start it). */
    private void launch() {
        synchronized (lock) {
            server = EmbeddedPostgresServer.start(settings.postgresPort(), settings.postgresData(), settings.postgresLog());
            postmaster = EmbeddedPostgresServer.runningOn(settings.postgresData()).orElseThrow(() -> new StackException(
                    "PostgreSQL started, but the postmaster.pid in " + settings.shown(settings.postgresData()) + " names no running server"));
            socketLockFile = socketLockFile(settings.postgresData().resolve("postmaster.pid")).orElse(null);
            startedAt = System.nanoTime();
        }
    }

    /** On the supervisor thread: is the postmaster still there? (A check that threw would end the checks.) */
    private void check() {
        try {
            checkOnce();
        } catch (RuntimeException e) {
            if (!stopping) {
                out.println("warning: checking on PostgreSQL failed: " + e);
            }
        }
    }

    private void checkOnce() {
        ProcessHandle current = postmaster;
        if (stopping || down || current == null || Processes.isRunning(current)) {
            return;
        }
        // Someone else may have started it again already (pg_ctl by hand): then that is the server to watch.
        Optional<ProcessHandle> other = EmbeddedPostgresServer.runningOn(settings.postgresData());
        if (other.isPresent()) {
            out.printf("PostgreSQL (pid %d) was replaced by pid %d, started outside the stack; watching that one%n",
                    current.pid(), other.get().pid());
            postmaster = other.get();
            return;
        }
        down = true;
        long diedAt = System.nanoTime();
        out.printf("PostgreSQL (pid %d) is gone after %s: its postmaster died without being stopped (killed, or out of memory);"
                        + " the transcript service cannot reach its database until it is back; see %s%n",
                current.pid(), Durations.seconds(diedAt - startedAt), settings.shown(settings.postgresLog()));
        restarts.afterDeath("died", "; see " + settings.shown(settings.postgresLog()), restart -> restart(restart, current, diedAt));
    }

    /** On the supervisor thread: clears what the dead postmaster left and starts PostgreSQL again. */
    private void restart(int restart, ProcessHandle dead, long diedAt) {
        if (stopping) {
            return;
        }
        restarts.begin();
        LOG.info("PostgreSQL (pid {}) died; restart {} on port {}. Closing the dead server first: its pg_ctl stop fails"
                + " (there is nothing left to stop), which is expected", dead.pid(), restart, settings.postgresPort());
        try {
            synchronized (lock) {
                if (stopping) {
                    return;
                }
                clearStaleLockFiles(dead);
                // Releases the old server's hold on the data directory; its pg_ctl stop finds nothing to stop (logged as an error).
                closeQuietly(server);
                awaitLeftoverServerProcesses();
                if (FreePorts.inUse(settings.postgresPort())) {
                    throw new StackException("port " + settings.postgresPort() + " is in use"
                            + PortOwners.listeningOn(settings.postgresPort()).map(owner -> " by " + PortOwners.describe(owner)).orElse(""));
                }
                launch();
            }
        } catch (RuntimeException e) {
            if (stopping) {
                return;
            }
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            out.printf("PostgreSQL did not start again (restart %d): %s%n", restart, reason);
            restarts.afterDeath("did not start again (" + reason + ")", "; see " + settings.shown(settings.postgresLog()),
                    next -> restart(next, dead, diedAt));
            return;
        }
        down = false;
        out.printf("PostgreSQL is back on localhost:%d (restart %d, pid %d, %s after it was found gone)%n", settings.postgresPort(),
                restart, postmaster.pid(), Durations.seconds(System.nanoTime() - diedAt));
    }

    /**
     * Deletes the lock files that name the dead postmaster: {@code postmaster.pid} in the data directory when the process
     * it names is not a running PostgreSQL, and the lock file of its Unix socket ({@code .s.PGSQL.<port>.lock}) when it
     * names the dead postmaster. A killed postmaster stays a zombie until its parent (pid 1, since pg_ctl detaches it)
     * reaps it, which a container's init may do late; meanwhile PostgreSQL takes either file for a server that still runs
     * ("lock file already exists") and will not start.
     */
    private void clearStaleLockFiles(ProcessHandle dead) {
        Path pidFile = settings.postgresData().resolve("postmaster.pid");
        if (Files.exists(pidFile) && EmbeddedPostgresServer.runningOn(settings.postgresData()).isEmpty()) {
            delete(pidFile, dead);
        }
        Path socketLock = socketLockFile;
        if (socketLock != null && namesProcess(socketLock, dead) && !Processes.isRunning(dead)) {
            delete(socketLock, dead);
        }
    }

    private void delete(Path staleLockFile, ProcessHandle dead) {
        try {
            Files.deleteIfExists(staleLockFile);
            out.printf("removed the stale %s (pid %d is gone)%n", settings.shown(staleLockFile), dead.pid());
        } catch (IOException e) {
            throw new StackException("cannot remove the stale " + settings.shown(staleLockFile) + ": " + e.getMessage(), e);
        }
    }

    /** Whether a PostgreSQL lock file (its first line is the pid of the postmaster that holds it) names a process. */
    private static boolean namesProcess(Path lockFile, ProcessHandle process) {
        try {
            List<String> lines = Files.readAllLines(lockFile);
            return !lines.isEmpty() && lines.getFirst().trim().equals(Long.toString(process.pid()));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The socket's lock file a running postmaster's {@code postmaster.pid} implies: its fourth line is the port, its
     * fifth the first of the socket directories (empty when the server listens on no Unix socket).
     */
    static Optional<Path> socketLockFile(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.size() < 5 || lines.get(4).isBlank()) {
                return Optional.empty();
            }
            String directory = lines.get(4).split(",")[0].trim();
            return Optional.of(Path.of(directory, ".s.PGSQL." + lines.get(3).trim() + ".lock"));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Waits for the dead postmaster's server processes to end, and kills those that do not within the grace period. */
    private void awaitLeftoverServerProcesses() {
        long deadline = System.nanoTime() + LEFTOVER_GRACE.toNanos();
        List<ProcessHandle> left = leftoverServerProcesses();
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            pause(100);
            left = leftoverServerProcesses();
        }
        if (!left.isEmpty()) {
            out.printf("killing %d PostgreSQL server process(es) the dead postmaster left (pids %s)%n", left.size(),
                    left.stream().map(p -> Long.toString(p.pid())).toList());
            left.forEach(ProcessHandle::destroyForcibly);
            left.forEach(p -> p.onExit().completeOnTimeout(p, 5, TimeUnit.SECONDS).join());
        }
    }

    /**
     * PostgreSQL processes that run from the data directory: a server process works in its data directory, so these
     * are this stack's and no other PostgreSQL's (processes of other users cannot be seen, and are not this stack's).
     */
    private List<ProcessHandle> leftoverServerProcesses() {
        Path data = realPath(settings.postgresData());
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                .filter(p -> workingDirectory(p).map(data::equals).orElse(false))
                .toList();
    }

    private static Optional<Path> workingDirectory(ProcessHandle process) {
        try {
            return Optional.of(Files.readSymbolicLink(Path.of("/proc", Long.toString(process.pid()), "cwd")));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path.toAbsolutePath().normalize();
        }
    }

    /** No more checks or restarts: the stack is stopping. */
    void requestStop() {
        stopping = true;
        checks.cancel(false);
    }

    /** Stops supervising and stops PostgreSQL (waiting for a restart in progress to finish first). */
    @Override
    public void close() {
        requestStop();
        synchronized (lock) {
            ProcessHandle current = postmaster;
            if (current != null && !Processes.isRunning(current)) {
                clearStaleLockFiles(current); // else pg_ctl stop waits for a zombie, or signals whatever got its pid
            }
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }

    private static void closeQuietly(EmbeddedPostgresServer server) {
        if (server != null) {
            try {
                server.close();
            } catch (RuntimeException e) {
                // the server is gone already: what it held is released all the same
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while PostgreSQL's leftover server processes ended");
        }
    }
}
