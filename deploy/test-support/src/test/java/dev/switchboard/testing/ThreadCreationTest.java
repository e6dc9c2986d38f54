package dev.switchboard.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The guard finds raw threads and executors without the kit's factories, and nothing in comments. */
class ThreadCreationTest {
    @TempDir
    Path sources;

    @Test
    void rawThreadsAndExecutorsWithoutTheKitsFactoriesAreNamedWithTheirLine() throws Exception {
        Files.writeString(sources.resolve("Good.java"), """
                class Good {
                    // Thread.ofVirtual() in a comment is fine, as is /* new Thread( */ one in a block
                    Object timer = Executors.newSingleThreadScheduledExecutor(
                            ApplicationThreads.platformDaemon("timer"));
                    Object worker = Executors.newThreadPerTaskExecutor(WorkerThreads.factory("w"));
                }
                """);
        Files.writeString(sources.resolve("Bad.java"), """
                class Bad {
                    Object pool = Executors.newFixedThreadPool(4);
                    Thread t = Thread.ofVirtual().start(() -> { });
                    Thread u = new Thread(() -> { });
                }
                """);

        assertThat(ThreadCreation.offenders(sources)).containsExactlyInAnyOrder(
                "Bad.java:2: Executors.newFixedThreadPool(4)", "Bad.java:3: Thread.ofVirtual(", "Bad.java:4: new Thread(");
    }
}
