package dev.switchboard.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./switchboard up}: starts the local stack, prints what runs where, and keeps it running until Ctrl-C
 * (SIGINT), {@code ./switchboard down} (SIGTERM to the pid in {@code .switchboard/stack.pid}), or a service that
 * keeps dying (beyond its restart limit: the stack says which and why, stops and exits with status 1).
 */
public final class LocalStackMain {
    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath().normalize();
        StackSettings settings;
        try {
            settings = StackSettings.fromEnvironment(root, System.getenv());
            refuseSecondStack(settings.pidFile());
            // Kafka and PostgreSQL log a lot; keep the terminal for what runs where, their logs in a file.
            PrivateDirectory.ensure(settings.logs());
            PreviousRunLog.newRun(settings);
            System.setProperty("org.slf4j.simpleLogger.logFile", settings.infrastructureLog().toString());
            System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        } catch (StackException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
            return;
        }

        CountDownLatch stopping = new CountDownLatch(1);
        LocalStack[] running = new LocalStack[1];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.countDown();
            LocalStack stack = running[0];
            if (stack != null) {
                System.out.println("stopping Switchboard...");
                stack.close();
                deleteQuietly(settings.pidFile());
                System.out.println("stopped.");
            } else {
                // Stopped while starting: what had started (PostgreSQL, Kafka, services) goes with this process.
                System.out.println("stopping Switchboard while it was starting...");
                deleteQuietly(settings.pidFile());
            }
        }, "stop-stack"));

        long started = System.nanoTime();
        try {
            Files.createDirectories(settings.stateDirectory());
            Files.writeString(settings.pidFile(), Long.toString(ProcessHandle.current().pid()));
            running[0] = LocalStack.start(settings, Map.of(), System.out);
        } catch (StackException e) {
            System.err.println("error: " + e.getMessage());
            deleteQuietly(settings.pidFile());
            System.exit(1);
        }
        System.out.println();
        System.out.print(running[0].describe());
        running[0].consoleUrl().ifPresent(url -> System.out.printf("%nweb console (signs you in for 12 hours; keep the link to yourself):%n  %s%n", url));
        System.out.printf("%nall services ready in %.1f s. Ctrl-C (or ./switchboard down) stops everything.%n",
                (System.nanoTime() - started) / 1e9);

        // Services that die are restarted by the stack; it gives up only on one that keeps dying.
        while (!stopping.await(1, TimeUnit.SECONDS)) {
            String failure = running[0].failure().getNow(null);
            if (failure != null) {
                System.err.println("error: " + failure + "; stopping Switchboard");
                System.exit(1);
            }
        }
    }

    private static void refuseSecondStack(Path pidFile) {
        if (!Files.exists(pidFile)) {
            return;
        }
        try {
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            // The pid of a stack that died may have gone to another process since: only a live stack counts.
            if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(Processes::isStack).isPresent()) {
                throw new StackException("a Switchboard stack already runs (pid " + pid + "); ./switchboard down stops it");
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable pid file is stale
        }
        deleteQuietly(pidFile);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to do
        }
    }
}
