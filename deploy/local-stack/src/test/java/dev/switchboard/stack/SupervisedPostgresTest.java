package dev.switchboard.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Reading the socket's lock file from a postmaster.pid as PostgreSQL 17 writes it. */
class SupervisedPostgresTest {
    @TempDir
    Path data;

    @Test
    void theSocketLockFileIsInTheFirstSocketDirectoryForThePort() throws IOException {
        Path pidFile = write("25315", data.toString(), "1796502746", "34601", "/tmp,/var/run/postgresql", "localhost",
                "   123456     65538", "ready   ");

        assertThat(SupervisedPostgres.socketLockFile(pidFile)).contains(Path.of("/tmp/.s.PGSQL.34601.lock"));
    }

    @Test
    void aServerWithoutUnixSocketsHasNoSocketLockFile() throws IOException {
        assertThat(SupervisedPostgres.socketLockFile(write("25315", data.toString(), "1796502746", "34601", "", "localhost"))).isEmpty();
    }

    @Test
    void aPidFileCutShortOrMissingNamesNone() throws IOException {
        assertThat(SupervisedPostgres.socketLockFile(write("25315", data.toString()))).isEmpty();
        assertThat(SupervisedPostgres.socketLockFile(data.resolve("absent.pid"))).isEmpty();
    }

    private Path write(String... lines) throws IOException {
        return Files.write(data.resolve("postmaster.pid"), String.join("\n", lines).concat("\n").getBytes());
    }
}
