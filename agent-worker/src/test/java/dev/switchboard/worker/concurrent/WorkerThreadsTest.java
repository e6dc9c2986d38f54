package dev.switchboard.worker.concurrent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The worker's threads run with the application's class loader even when started from a thread that has
 * another one (as the JDK HTTP client's threads and the engine's callbacks do in the packaged application).
 */
class WorkerThreadsTest {
    /** A class loader like the JDK's application loader in the packaged app: it cannot see the worker's classes. */
    private final ClassLoader foreign = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());

    private <T> T fromForeignThread(java.util.concurrent.Callable<T> action) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread outsider = new Thread(() -> {
            try {
                result.complete(action.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        outsider.setContextClassLoader(foreign);
        outsider.start();
        return result.get(10, TimeUnit.SECONDS);
    }

    @Test
    void aThreadStartedFromAForeignThreadRunsWithTheApplicationLoader() throws Exception {
        CompletableFuture<ClassLoader> seen = new CompletableFuture<>();
        fromForeignThread(() -> WorkerThreads.start("t", () -> seen.complete(Thread.currentThread().getContextClassLoader())));
        assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(WorkerThreads.applicationClassLoader()).isNotSameAs(foreign);
    }

    @Test
    void executorsAndSchedulersMadeOnAForeignThreadRunTasksWithTheApplicationLoader() throws Exception {
        var scheduler = fromForeignThread(() -> WorkerThreads.scheduler("timers"));
        var serial = fromForeignThread(() -> WorkerThreads.serial("serial"));
        var perTask = fromForeignThread(() -> WorkerThreads.perTask("per-task"));
        try {
            for (var executor : List.of(scheduler, serial, perTask)) {
                ClassLoader loader = fromForeignThread(() -> executor.submit(() -> Thread.currentThread().getContextClassLoader())
                        .get(10, TimeUnit.SECONDS));
                assertThat(loader).isSameAs(WorkerThreads.applicationClassLoader());
            }
        } finally {
            scheduler.shutdownNow();
            serial.shutdownNow();
            perTask.shutdownNow();
        }
    }

    /**
     * Raw thread creation would bring the bug back: it stays in WorkerThreads. (The media engine's binding, a module
     * of its own, makes one thread, its dispatcher, and pins its loader itself: see the binding's BindingThreadsTest.)
     */
    @Test
    void theWorkerMakesThreadsOnlyThroughWorkerThreads() throws IOException {
        Pattern raw = Pattern.compile("Thread\\.of(Virtual|Platform)\\(|new Thread\\(|Executors\\.new|HttpClient\\.new(HttpClient|Builder)\\(");
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.endsWith(Path.of("concurrent", "WorkerThreads.java")))
                    .flatMap(p -> {
                        try {
                            List<String> lines = Files.readAllLines(p);
                            return java.util.stream.IntStream.range(0, lines.size())
                                    .filter(i -> raw.matcher(lines.get(i)).find() && !lines.get(i).trim().startsWith("*"))
                                    .mapToObj(i -> main.relativize(p) + ":" + (i + 1) + ": " + lines.get(i).trim());
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
            assertThat(offenders).isEmpty();
        }
    }
}
