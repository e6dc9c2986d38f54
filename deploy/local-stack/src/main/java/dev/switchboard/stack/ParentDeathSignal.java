package dev.switchboard.stack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes the kernel kill a service when the stack dies, however it dies (even {@code kill -9}): the service is
 * started through util-linux's {@code setpriv --pdeathsig KILL}, which sets Linux's parent-death signal and then
 * runs the service in its place. SIGKILL rather than SIGTERM because the stack's broker died with it: a graceful
 * shutdown would only wait for Kafka (and a draining worker for its calls) and outlive the stack.
 *
 * <p>Linux sends the signal when the <em>thread</em> that started the child ends, not the process: the stack
 * starts its services from one thread that lives as long as the stack. Without setpriv the services run without
 * it, and the next {@code ./switchboard up} stops those left behind ({@link Leftovers}).
 */
final class ParentDeathSignal {
    private static final List<String> PREFIX = detect();

    private ParentDeathSignal() {
    }

    /** The words to put before a command so that it dies with this thread; empty when the system cannot. */
    static List<String> commandPrefix() {
        return PREFIX;
    }

    static boolean available() {
        return !PREFIX.isEmpty();
    }

    private static List<String> detect() {
        Optional<Path> setpriv = onPath("setpriv");
        if (setpriv.isEmpty()) {
            return List.of();
        }
        List<String> prefix = List.of(setpriv.get().toString(), "--pdeathsig", "KILL", "--");
        try {
            // --pdeathsig came with util-linux 2.33; an older setpriv refuses it.
            Process probe = new ProcessBuilder(concat(prefix, "true")).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (probe.waitFor(5, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                return prefix;
            }
            probe.destroyForcibly();
        } catch (IOException e) {
            // not usable
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of();
    }

    private static Optional<Path> onPath(String program) {
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static List<String> concat(List<String> prefix, String command) {
        return Stream.concat(prefix.stream(), Stream.of(command)).toList();
    }
}
