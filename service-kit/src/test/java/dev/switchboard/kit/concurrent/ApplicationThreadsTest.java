package dev.switchboard.kit.concurrent;

import org.junit.jupiter.api.Test;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads made by the kit's factories run with the service's class loader even when a thread with another loader
 * makes them (a Kafka client's or the JDK HTTP client's thread, in the packaged service the JDK's application loader).
 */
class ApplicationThreadsTest {
    /** Like the JDK's application loader in a packaged service: it cannot see the service's classes. */
    private final ClassLoader foreign = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());

    @Test
    void everyFactorysThreadsRunWithTheApplicationLoaderWhoeverStartsThem() throws Exception {
        for (ThreadFactory factory : List.of(ApplicationThreads.virtual("v"), ApplicationThreads.virtualNumbered("n-"),
                ApplicationThreads.platformDaemon("d"))) {
            CompletableFuture<ClassLoader> seen = new CompletableFuture<>();
            Thread outsider = new Thread(() -> factory.newThread(() -> seen.complete(Thread.currentThread().getContextClassLoader())).start());
            outsider.setContextClassLoader(foreign);
            outsider.start();

            assertThat(seen.get(10, TimeUnit.SECONDS)).isSameAs(ApplicationThreads.applicationClassLoader()).isNotSameAs(foreign);
        }
    }

    @Test
    void platformThreadsAreDaemonsSoTheyNeverHoldTheServiceUp() {
        assertThat(ApplicationThreads.platformDaemon("d").newThread(() -> {
        }).isDaemon()).isTrue();
    }
}
