package dev.switchboard.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The files a stack leaves on disk: its data kept from other local users, the last run's logs kept from the next run. */
class StackFilesTest {

    @Test
    void theDataAndLogDirectoriesAreTheOwnersOnlyEvenWhenAnEarlierVersionMadeThemOpen(@TempDir Path state) throws Exception {
        Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwxr-xr-x")); // a shared parent, such as /tmp
        Path data = state.resolve("data");
        Files.createDirectories(data.resolve("kafka"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        PrivateDirectory.ensure(data);
        PrivateDirectory.ensure(state.resolve("logs"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("logs")))).as("made new").isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state))).as("the state directory itself is left alone")
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void aNewRunKeepsTheLastRunsLogAsDotOneAndOneGenerationOnly(@TempDir Path logs) throws Exception {
        Path log = logs.resolve("call-controller.log");
        assertThat(PreviousRunLog.keep(log)).as("nothing to keep yet").doesNotExist();

        Files.writeString(log, "run 1: exited with code 137\n");
        PreviousRunLog.keep(log);
        assertThat(log).doesNotExist();
        assertThat(logs.resolve("call-controller.log.1")).hasContent("run 1: exited with code 137");

        Files.writeString(log, "run 2\n");
        PreviousRunLog.keep(log);
        assertThat(logs.resolve("call-controller.log.1")).hasContent("run 2");
        try (var files = Files.list(logs)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("call-controller.log.1");
        }
    }

    @Test
    void aNewRunStartsKafkasPostgresqlsAndTheLeftOutServicesLogsAfresh(@TempDir Path root) throws Exception {
        StackSettings settings = StackSettings.fromEnvironment(root, Map.of("SWITCHBOARD_SERVICES", "context-gateway"));
        Files.createDirectories(settings.logs());
        for (String name : List.of("infrastructure", "postgresql", "context-gateway", "call-controller")) {
            Files.writeString(settings.logs().resolve(name + ".log"), "last run\n");
        }

        PreviousRunLog.newRun(settings);

        assertThat(settings.infrastructureLog()).doesNotExist();
        assertThat(settings.postgresLog()).as("PostgreSQL's too, not appended to").doesNotExist();
        assertThat(settings.logs().resolve("postgresql.log.1")).hasContent("last run");
        assertThat(settings.serviceLog("call-controller")).as("a service this run leaves out shows no log as if current").doesNotExist();
        assertThat(settings.logs().resolve("call-controller.log.1")).hasContent("last run");
        assertThat(settings.serviceLog("context-gateway")).as("kept as it starts, so a restart appends").hasContent("last run");
    }
}
