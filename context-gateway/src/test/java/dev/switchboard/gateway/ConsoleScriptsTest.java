package dev.switchboard.gateway;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's scripts that need no browser (what it says of a call, the words of the "Switch token?" prompt, text
 * from calls shown without bidirectional controls), tested with Node's own test runner: the tests are
 * {@code src/test/console/*.test.js}, run against a copy of {@code web/app} in {@code target/console-scripts} (an ES
 * module package there, as the bundler reads them). The page in a browser is deploy/local-stack's ConsoleEndToEndTest.
 * Without Node (18 or later) the test is skipped saying so, except in CI (CI=true), where it must run.
 */
class ConsoleScriptsTest {
    private static final Path APP = Path.of("src", "main", "resources", "web", "app");
    private static final Path TESTS = Path.of("src", "test", "console");
    private static final Path WORK = Path.of("target", "console-scripts");

    @Test
    void theConsolesScriptsPassTheirNodeTests() throws Exception {
        copy(APP, WORK.resolve("app"), ".js");
        List<String> tests = copy(TESTS, WORK.resolve("test"), ".test.js");
        Files.writeString(WORK.resolve("package.json"), "{\"private\": true, \"type\": \"module\"}\n");
        assertThat(tests).as("the console's Node tests").isNotEmpty();

        List<String> command = new ArrayList<>(List.of("node", "--test"));
        tests.forEach(test -> command.add("test/" + test));
        Result result = run(command);
        if (result.exitCode() != 0 && !result.output().contains("# tests")) {
            requireNode(result);
        }
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("# fail 0").doesNotContain("# pass 0");
    }

    /** Copies the directory's files with that ending; returns their names, sorted. */
    private static List<String> copy(Path from, Path to, String ending) throws IOException {
        Files.createDirectories(to);
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(ending)).sorted().toList()) {
                Files.copy(file, to.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                names.add(file.getFileName().toString());
            }
        }
        return names;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command) throws InterruptedException {
        try {
            Path output = Files.createTempFile("console-scripts", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(WORK.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, String.join(" ", command) + " did not finish within 120 s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        }
    }

    /** Node did not run the tests at all: outside CI the test is skipped with the reason; in CI it fails. */
    private static void requireNode(Result result) {
        String why = "Node.js (18 or later) could not run the console's tests:\n" + result.output().strip()
                + "\nInstall Node.js (e.g. `apt-get install nodejs`) to test the console's scripts.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must test the console's scripts, but " + why);
        }
        Assumptions.abort(why);
    }
}
