package dev.switchboard.livekit.ffi;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binding makes one thread, its dispatcher, on which room events reach application code. It runs with the
 * binding's own class loader whoever starts the engine: in a packaged application the thread that happens to start
 * it (one the JDK made) may have a loader that cannot see the application's classes.
 */
class BindingThreadsTest {

    @Test
    void theDispatcherIsTheOnlyThreadTheBindingMakes() throws IOException {
        Pattern raw = Pattern.compile("Thread\\.of(Virtual|Platform)\\(|new Thread\\(|Executors\\.new");
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> threads = files.filter(p -> p.toString().endsWith(".java")).flatMap(p -> {
                try {
                    List<String> lines = Files.readAllLines(p);
                    return IntStream.range(0, lines.size())
                            .filter(i -> raw.matcher(lines.get(i)).find() && !lines.get(i).trim().startsWith("*"))
                            .mapToObj(i -> p.getFileName() + ": " + lines.get(i).trim());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
            assertThat(threads).singleElement().asString()
                    .startsWith("LiveKitEngine.java: this.dispatcher = Thread.ofPlatform().daemon().name(DISPATCHER_NAME)");
        }
    }

    @Test
    void theDispatcherRunsWithTheBindingsLoaderWhoeverStartsTheEngine() throws Exception {
        EngineTests.assumeEngineAvailable();
        ClassLoader foreign = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        CompletableFuture<LiveKitEngine> started = new CompletableFuture<>();
        Thread outsider = new Thread(() -> {
            try {
                started.complete(EngineTests.start());
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        });
        outsider.setContextClassLoader(foreign);
        outsider.start();
        try (LiveKitEngine engine = started.get(30, TimeUnit.SECONDS)) {
            Thread dispatcher = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("livekit-ffi-dispatcher")).findFirst().orElseThrow();
            assertThat(dispatcher.getContextClassLoader()).isSameAs(LiveKitEngine.class.getClassLoader()).isNotSameAs(foreign);
        }
    }
}
