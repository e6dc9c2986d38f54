package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops the stack's PostgreSQL when the stack dies without stopping it (killed with {@code kill -9}, out of memory).
 * PostgreSQL is started by {@code pg_ctl}, which detaches it from the stack, so it would otherwise run on and hold
 * its port. The guard is a tiny shell loop beside the stack: once a second it checks that the stack's process is
 * there; when it is gone it asks the postmaster named in the data directory's {@code postmaster.pid} for a fast
 * shutdown (SIGINT). It reads that file only then, so it stops whichever postmaster runs at that moment: one the
 * stack restarted ({@link SupervisedPostgres}) as well as the first; should the stack die while it restarts
 * PostgreSQL, the guard gives the new postmaster up to 10 s to appear. It ignores Ctrl-C, on which the stack stops
 * PostgreSQL itself and then ends the guard.
 */
final class PostgresGuard implements AutoCloseable {
    private static final String SCRIPT = """
            trap '' INT
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
            for attempt in 1 2 3 4 5 6 7 8 9 10; do
              pid=$(head -n 1 "$2/postmaster.pid" 2>/dev/null)
              if [ -n "$pid" ] && grep -q postgres "/proc/$pid/cmdline" 2>/dev/null; then kill -INT "$pid"; exit 0; fi
              sleep 1
            done
            """;

    private final Process process;

    private PostgresGuard(Process process) {
        this.process = process;
    }

    static PostgresGuard watch(ProcessHandle stack, Path dataDirectory) {
        try {
            return new PostgresGuard(new ProcessBuilder(List.of("sh", "-c", SCRIPT, "switchboard-postgres-guard",
                    Long.toString(stack.pid()), dataDirectory.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start());
        } catch (IOException e) {
            throw new StackException("cannot start the guard that stops PostgreSQL if the stack dies: " + e.getMessage(), e);
        }
    }

    long pid() {
        return process.pid();
    }

    /** The stack stopped PostgreSQL itself: the guard (and the sleep it may be in) can go. */
    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
