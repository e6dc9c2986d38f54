package dev.switchboard.stack;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the Python and Node.js examples (examples/python, examples/node) as a user would. Without the clients'
 * libraries (python3 with confluent-kafka and avro, or npm) a test using them is skipped saying what is missing,
 * except in CI (CI=true), where it must run.
 */
final class ExampleClients {
    static final Duration EXAMPLE_TIMEOUT = Duration.ofSeconds(120);

    private ExampleClients() {
    }

    static Path examples() {
        return TestStacks.repositoryRoot().resolve("examples");
    }

    static Path pythonDirectory() {
        return examples().resolve("python");
    }

    /** The Node example's directory, its packages installed from its lock. */
    static Path nodeDirectory() throws InterruptedException {
        Path node = examples().resolve("node");
        // The lock names packages and their integrity, never the registry they came from (.npmrc).
        try {
            assertThat(Files.readString(node.resolve("package-lock.json"))).doesNotContain("\"resolved\"");
        } catch (IOException e) {
            throw new IllegalStateException("the Node example's package-lock.json: " + e.getMessage(), e);
        }
        requireClient(run(List.of("npm", "--version"), node, Duration.ofSeconds(60)), "npm (Node.js) is not installed");
        requireClient(run(List.of("npm", "ci", "--no-audit", "--no-fund"), node, Duration.ofMinutes(5)),
                "npm ci could not install the example's packages (kafkajs, avsc) from the npm registry");
        return node;
    }

    /**
     * A Python 3 that has confluent-kafka and Apache Avro: the one on PATH, or Debian's own interpreter, which is the one
     * Debian's python3-confluent-kafka and python3-avro install into (a pyenv or virtualenv python3 on PATH does not see them).
     */
    static String pythonWithTheClientLibraries() throws InterruptedException {
        List<String> tried = new ArrayList<>();
        for (String python : List.of("python3", "/usr/bin/python3")) {
            Result probe = run(List.of(python, "-c", "import confluent_kafka, avro.io"), examples(), Duration.ofSeconds(60));
            if (probe.exitCode() == 0) {
                return python;
            }
            tried.add(python + ": " + probe.output().strip().lines().reduce((first, last) -> last).orElse("failed"));
        }
        requireClient(new Result(1, String.join("\n", tried)), "no python3 with confluent-kafka and avro "
                + "(Debian: apt-get install python3-confluent-kafka python3-avro; elsewhere pip install -r examples/python/requirements.txt)");
        throw new IllegalStateException("unreachable");
    }

    /** Outside CI a missing client library skips the test with the reason; in CI (which installs them) it fails it. */
    private static void requireClient(Result result, String problem) {
        if (result.exitCode() == 0) {
            return;
        }
        String why = problem + ":\n" + result.output().strip();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must run the other-language examples, but " + why);
        }
        Assumptions.abort(why);
    }

    record Result(int exitCode, String output) {
    }

    static Result run(List<String> command, Path directory, Duration timeout) throws InterruptedException {
        return run(command, directory, timeout, Map.of());
    }

    /** As {@link #run(List, Path, Duration)}, with these variables added to the example's environment. */
    static Result run(List<String> command, Path directory, Duration timeout, Map<String, String> environment) throws InterruptedException {
        try {
            Path output = Files.createTempFile("example", ".out");
            try {
                ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile());
                builder.environment().put("PYTHONUNBUFFERED", "1");
                builder.environment().put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ in the source tree
                builder.environment().putAll(environment);
                Process process = builder.start();
                process.getOutputStream().close();
                if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, String.join(" ", command) + " did not finish within " + timeout + ":\n"
                            + Files.readString(output, StandardCharsets.UTF_8));
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        }
    }
}
