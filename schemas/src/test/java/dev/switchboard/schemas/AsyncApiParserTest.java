package dev.switchboard.schemas;

import dev.switchboard.schemas.asyncapi.AsyncApiDocument;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official AsyncAPI parser ({@code @asyncapi/parser}, with {@code @asyncapi/avro-schema-parser} for the Avro
 * payloads, from npm) accepts the generated document without an error. The validator's npm project is
 * {@code src/test/asyncapi-validator}; it is installed with {@code npm ci} into {@code target/asyncapi-validator}.
 * Without npm (or without the npm registry) the test is skipped saying so, except in CI (CI=true), where it must run.
 */
class AsyncApiParserTest {
    private static final Path SOURCE = Path.of("src", "test", "asyncapi-validator");
    private static final Path VALIDATOR = Path.of("target", "asyncapi-validator");
    private static final List<String> FILES = List.of("package.json", "package-lock.json", ".npmrc", "validate.mjs");

    @Test
    void theOfficialParserAcceptsTheDocument() throws Exception {
        requireTool(run(List.of("npm", "--version"), Path.of("."), 60), "npm (Node.js) is not installed");
        install();
        Path document = VALIDATOR.resolve("asyncapi.yaml");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(AsyncApiDocument.RESOURCE)) {
            assertThat(in).as("the build writes " + AsyncApiDocument.RESOURCE).isNotNull();
            Files.copy(in, document, StandardCopyOption.REPLACE_EXISTING);
        }

        Result validation = run(List.of("node", "validate.mjs", "asyncapi.yaml"), VALIDATOR, 120);
        assertThat(validation.exitCode()).as("the AsyncAPI parser's verdict:\n" + validation.output()).isZero();
        int operations = WorkerCommandTopics.PRODUCERS.size() + WorkerCommandTopics.CONSUMERS.size();
        for (Topic topic : Topic.values()) {
            operations += topic.producers().size() + topic.consumers().size();
        }
        // What the parser understood: every channel (the workers' own topics are one more), operation and message, not merely "no error".
        assertThat(validation.output()).as(validation.output()).contains("VALID asyncapi=3.0.0 channels=" + (Topic.values().length + 1)
                + " operations=" + operations + " messages=" + Topic.values().length);
        assertThat(validation.output()).doesNotContain("\nerror ");
    }

    /** npm ci, unless node_modules was installed from this very lock file already. */
    private static void install() throws IOException, InterruptedException, NoSuchAlgorithmException {
        // The lock names packages and their integrity, never the registry they came from (.npmrc).
        assertThat(Files.readString(SOURCE.resolve("package-lock.json"))).doesNotContain("\"resolved\"");
        Files.createDirectories(VALIDATOR);
        for (String file : FILES) {
            Files.copy(SOURCE.resolve(file), VALIDATOR.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        String lock = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(SOURCE.resolve("package-lock.json"))));
        Path stamp = VALIDATOR.resolve("node_modules").resolve(".installed-from-lock");
        if (Files.exists(stamp) && Files.readString(stamp).equals(lock)) {
            return;
        }
        // Scripts off: nothing the validator needs runs at install time (and one dependency's script only reports analytics).
        Result install = run(List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), VALIDATOR, 600);
        requireTool(install, "npm ci could not install the AsyncAPI parser from the npm registry");
        Files.writeString(stamp, lock);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, Path directory, int timeoutSeconds) throws InterruptedException {
        try {
            Path output = Files.createTempFile("asyncapi-validator", ".out");
            try {
                Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                        .redirectOutput(output.toFile()).start();
                process.getOutputStream().close();
                if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                    return new Result(-1, String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
                }
                return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
        }
    }

    /** Outside CI a missing tool skips the test with the reason; in CI it fails it. */
    private static void requireTool(Result result, String problem) {
        if (result.exitCode() == 0) {
            return;
        }
        String why = problem + ":\n" + result.output().strip() + "\nInstall Node.js and npm (e.g. `apt-get install nodejs npm`) with access"
                + " to the npm registry to validate the AsyncAPI document with the official parser.";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI must validate the AsyncAPI document, but " + why);
        }
        Assumptions.abort(why);
    }
}
