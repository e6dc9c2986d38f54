package dev.switchboard.stack;

import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.stack.StackSettings.ServiceSpec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * What an earlier stack of this checkout left running, found and stopped before a new stack starts. Normally
 * nothing is left: the services die with the stack ({@link ParentDeathSignal}) and {@link PostgresGuard} stops
 * PostgreSQL. When those could not act (no setpriv, the guard killed too, a service stopped with SIGSTOP), the
 * leftovers are recognised by what the earlier stack wrote in its state directory and by the process's command
 * line, so that nothing else is ever stopped:
 * <ul>
 *   <li>a service: the pid in {@code <service>.pid} in the state directory, if that process runs this checkout's
 *       application of that service;</li>
 *   <li>PostgreSQL: the postmaster named in the data directory's {@code postmaster.pid} (PostgreSQL's own lock file).</li>
 * </ul>
 */
final class Leftovers {
    private static final Duration SERVICE_GRACE = Duration.ofSeconds(10);
    private static final Duration POSTGRES_GRACE = Duration.ofSeconds(20);

    private Leftovers() {
    }

    /**
     * Stops whatever an earlier stack in this state directory left running, saying what it stops. Every service's
     * pid file counts, not only those of the services this stack runs: the earlier stack may have run others.
     */
    static void clean(StackSettings settings, PrintStream out) {
        for (Path pidFile : servicePidFiles(settings)) {
            String service = pidFile.getFileName().toString().replaceFirst("\\.pid$", "");
            String application = ServiceSpec.application(settings.root(), service).toString();
            recordedProcess(pidFile).filter(p -> Processes.commandLine(p).contains(application)).ifPresent(process -> {
                out.println("stopping " + service + " (pid " + process.pid() + "), left running by an earlier stack");
                stop(process);
            });
            deleteQuietly(pidFile);
        }
        EmbeddedPostgresServer.runningOn(settings.postgresData()).ifPresent(postmaster -> {
            out.println("stopping PostgreSQL (pid " + postmaster.pid() + "), left running by an earlier stack on "
                    + settings.shown(settings.postgresData()));
            if (!EmbeddedPostgresServer.stop(postmaster, POSTGRES_GRACE)) {
                throw new StackException("PostgreSQL (pid " + postmaster.pid() + "), left running by an earlier stack, does not stop;"
                        + " stop it with kill -9 " + postmaster.pid());
            }
        });
    }

    /** SIGTERM, then SIGKILL after the grace period (also what ends a process stopped with SIGSTOP). */
    private static void stop(ProcessHandle process) {
        process.destroy();
        try {
            process.onExit().get(SERVICE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            process.destroyForcibly();
            awaitQuietly(process);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void awaitQuietly(ProcessHandle process) {
        try {
            process.onExit().get(5, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // reported by the port check if it still holds its port
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static List<Path> servicePidFiles(StackSettings settings) {
        if (!Files.isDirectory(settings.stateDirectory())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(settings.stateDirectory())) {
            return files.filter(f -> f.getFileName().toString().endsWith(".pid") && !f.equals(settings.pidFile())).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static Optional<ProcessHandle> recordedProcess(Path pidFile) {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a stale pid file is harmless: the command line check comes first
        }
    }
}
