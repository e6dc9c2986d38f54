package dev.switchboard.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java runtime of an image built without a base image: made with {@code jlink} from the JDK that runs the build
 * (so the image runs the Java version the services were built and tested with).
 */
final class JavaRuntime {

    /**
     * The modules the services need, chosen generously rather than computed: jdeps cannot follow a Quarkus
     * application (modular and plain jars mixed, services loaded by name), and a module missing at run time fails
     * late, in production. {@code java.desktop} is there for {@code java.beans}, which the expression language of
     * Hibernate Validator, Narayana, SnakeYAML and Micrometer use; jdk.jcmd lets an operator take thread and heap
     * dumps inside the container.
     */
    static final List<String> MODULES = List.of(
            "java.base", "java.logging", "java.management", "java.naming", "java.net.http", "java.security.jgss",
            "java.security.sasl", "java.sql", "java.transaction.xa", "java.xml", "java.desktop", "java.instrument",
            "java.prefs", "java.rmi", "java.scripting",
            "jdk.unsupported", "jdk.crypto.ec", "jdk.crypto.cryptoki", "jdk.charsets", "jdk.zipfs", "jdk.net",
            "jdk.naming.dns", "jdk.security.auth", "jdk.security.jgss", "jdk.management", "jdk.management.jfr",
            "jdk.jfr", "jdk.jcmd");

    /**
     * The services run headless: the AWT and sound libraries that link X11 or ALSA are left out, so the image needs
     * neither (and the build machine need not have them for their dependencies to be found).
     */
    static final String EXCLUDED_FILES = "**/libawt_xawt.so,**/libjawt.so,**/libsplashscreen.so,**/libjsound.so";

    private JavaRuntime() {
    }

    /** Links a runtime into {@code output} (which must not exist) with the jlink of {@code javaHome}. */
    static Path link(Path javaHome, Path output) {
        Path jlink = javaHome.resolve("bin/jlink");
        if (!Files.isExecutable(jlink)) {
            throw new ImageException("no jlink in " + javaHome + ": building an image without a base image needs a JDK"
                    + " (not a JRE) to make its Java runtime; run with a JDK 25, or choose a base image with --base");
        }
        List<String> command = new ArrayList<>(List.of(jlink.toString(), "--add-modules", String.join(",", MODULES),
                "--exclude-files=" + EXCLUDED_FILES, "--strip-debug", "--no-man-pages", "--no-header-files",
                "--output", output.toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new ImageException("jlink failed:\n" + out);
            }
            return output;
        } catch (IOException e) {
            throw new ImageException("cannot run " + jlink + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while linking the Java runtime", e);
        }
    }
}
