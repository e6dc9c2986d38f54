package dev.switchboard.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real PostgreSQL server from embedded binaries (zonky), for tests and the local stack.
 * With a data directory the data survives restarts; without one it lives in a temporary directory.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * Starts PostgreSQL.
     *
     * @param port          0 picks a free port
     * @param dataDirectory null for a throw-away database
     */
    public static EmbeddedPostgresServer start(int port, Path dataDirectory) {
        return start(port, dataDirectory, null);
    }

    /**
     * Starts PostgreSQL, appending what its programs print (initdb, pg_ctl, the server's own log) to a file.
     *
     * @param port          0 picks a free port
     * @param dataDirectory null for a throw-away database
     * @param logFile       null to leave it to the embedding library, which logs it at INFO
     */
    public static EmbeddedPostgresServer start(int port, Path dataDirectory, Path logFile) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? FreePorts.pick() : port)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    // The owner of the server stops it (tests with their own hook, the stack in its shutdown order).
                    .setRegisterShutdownHook(false)
                    // Tests and the local stack trade durability for speed: a crash loses at most the last writes.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200");
            if (logFile != null) {
                Files.createDirectories(logFile.toAbsolutePath().getParent());
                ProcessBuilder.Redirect appending = ProcessBuilder.Redirect.appendTo(logFile.toFile());
                builder.setOutputRedirector(appending).setErrorRedirector(appending);
            }
            if (dataDirectory != null) {
                Files.createDirectories(dataDirectory);
                builder.setDataDirectory(dataDirectory).setCleanDataDirectory(false);
            }
            return new EmbeddedPostgresServer(builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start", e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    /** The JDBC URL of a database, created first if it does not exist. */
    public String jdbcUrl(String database) {
        return jdbcUrl(port(), database);
    }

    /** The JDBC URL of a database on an embedded server at the given port, created first if it does not exist. */
    public static String jdbcUrl(int port, String database) {
        createDatabaseIfMissing(port, database);
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    private static void createDatabaseIfMissing(int port, String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        String admin = "jdbc:postgresql://localhost:" + port + "/postgres";
        try (Connection connection = DriverManager.getConnection(admin, USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    /**
     * The server that runs from a data directory, found by the process id PostgreSQL writes to its
     * {@code postmaster.pid}: empty when there is none, or when that process is gone or is no PostgreSQL (a stale file).
     */
    public static Optional<ProcessHandle> runningOn(Path dataDirectory) {
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.getFirst().trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().or(() -> p.info().command()).map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Stops a server by signalling its postmaster: a fast shutdown (SIGINT: clients disconnected, open transactions
     * rolled back, data flushed), an immediate one (SIGQUIT) when that takes longer than the grace period, SIGKILL last.
     *
     * @return whether it stopped
     */
    public static boolean stop(ProcessHandle postmaster, Duration grace) {
        for (String signal : List.of("INT", "QUIT")) {
            signal(postmaster.pid(), signal);
            if (awaitExit(postmaster, grace)) {
                return true;
            }
        }
        postmaster.destroyForcibly();
        return awaitExit(postmaster, Duration.ofSeconds(5));
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot signal PostgreSQL (pid " + pid + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not stop cleanly", e);
        }
    }
}
