package dev.switchboard.images;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./switchboard images --base IMAGE} with an image from a registry, run with the classpath the command runs with
 * (the module's runtime dependencies, not the test's): the build asks the registry for the base image's manifest. No
 * registry is reachable from the test machine, so this checks the path up to the network (Jib's registry client and
 * everything it loads) with a registry address where nothing listens; Jib would try again for about a minute before
 * it gives up, so the test stops the build at its first failed request.
 */
class RegistryBaseTest {
    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void aBaseFromARegistryIsAskedForOverHttp() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String classpath = MODULE.resolve("target/classes") + File.pathSeparator
                + Files.readString(MODULE.resolve("target/runtime-classpath.txt")).strip();
        Path out = Files.createTempDirectory("registry-base");
        Process images = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", classpath,
                ImagesMain.class.getName(), MODULE.getParent().getParent().toString(),
                "--out", out.toString(), "--base", "localhost:" + closedPort + "/switchboard/base:1", "context-gateway")
                .redirectErrorStream(true).start();
        StringBuilder output = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(images.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.append(line).append('\n');
                if (line.contains("failed and will")) {
                    break; // the first request to the registry went out and failed: what this test wanted to see
                }
            }
        } finally {
            images.destroyForcibly();
            images.waitFor(30, TimeUnit.SECONDS);
        }

        assertThat(output).as("the build's output")
                .contains("GET https://localhost:" + closedPort + "/v2/switchboard/base/manifests/1 failed")
                .doesNotContain("NoClassDefFoundError", "ClassNotFoundException");
        assertThat(List.of(out.toFile().list())).noneMatch(name -> name.endsWith(".tar"));
    }
}
