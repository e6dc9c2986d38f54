package dev.switchboard.stack;

import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reliability: the transcript service killed with {@code kill -9} in the middle of ingesting 100,000 segments, on the
 * local stack (real Kafka, real PostgreSQL, the packaged service as a process). Nothing may be lost or stored twice,
 * whether the stack restarts the killed instance or a second instance takes over its partitions. Prints how long
 * ingestion stood still and how long catching up took. Run with
 * <pre>mvn -B -ntp -pl deploy/local-stack -am verify -Preliability -Dtest=TranscriptCrashReliabilityTest</pre>
 */
@Tag("reliability")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TranscriptCrashReliabilityTest {
    private static final String SERVICE = "transcript-service";
    private static final String GROUP = "transcript-service";
    private static final int SEGMENTS = 100_000;
    private static final int LINES_PER_CALL = 500;
    private static final Duration CATCH_UP_LIMIT = Duration.ofMinutes(5);
    private static final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private static LocalStack stack;

    @BeforeAll
    static void startStack() {
        stack = LocalStack.start(TestStacks.onFreePorts(List.of(SERVICE), RestartPolicy.DEFAULT), Map.of(),
                new PrintStream(output, true));
    }

    @AfterAll
    static void stopStack() {
        if (stack != null) {
            stack.close();
        }
        System.out.println(output);
    }

    /** The stack restarts the killed instance, which resumes its partitions and finishes the load. */
    @Test
    @Order(1)
    void killedMidIngestRestartedByTheStackLosesAndDuplicatesNothing() throws Exception {
        TranscriptLoad load = TranscriptLoad.of("crash-restart", SEGMENTS / LINES_PER_CALL, LINES_PER_CALL);
        String jdbcUrl = stack.jdbcUrl();
        try (GroupWatch group = new GroupWatch(stack.kafkaBootstrapServers(), GROUP, Topic.TRANSCRIPTS.topicName())) {
            await("the service owns every transcripts partition", Duration.ofSeconds(60),
                    () -> group.ownedByOthersThan(Set.of()) == Topic.TRANSCRIPTS.partitions());
            long published = System.nanoTime();
            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> load.publish(stack.kafkaBootstrapServers()));
            await("a fifth of the load stored", Duration.ofMinutes(2), () -> load.stored(jdbcUrl) >= SEGMENTS / 5);

            Map<String, Set<Integer>> before = group.owners();
            long pid = stack.pid(SERVICE).orElseThrow();
            long killed = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            long storedAtKill = load.stored(jdbcUrl);
            double secondsToKill = (killed - published) / 1e9;

            Figures figures = new Figures("kill -9 of the transcript service mid-ingest, restarted by the stack");
            figures.put("segments published", String.format(Locale.ROOT, "%,d (%d calls of %d lines)", SEGMENTS, SEGMENTS / LINES_PER_CALL, LINES_PER_CALL));
            figures.put("stored when killed", String.format(Locale.ROOT, "%,d, %.1f s after publishing began", storedAtKill, secondsToKill));
            awaitTakeover(group, before.keySet(), load.roomsOn(partitionsOf(before), Topic.TRANSCRIPTS.partitions()), jdbcUrl, load,
                    killed, figures, () -> stack.pid(SERVICE).filter(p -> p != pid).isPresent());
            publishing.get();
            await("every segment stored", CATCH_UP_LIMIT, () -> load.stored(jdbcUrl) >= SEGMENTS);
            figures.put("catch-up: kill -> all 100,000 stored", seconds(System.nanoTime() - killed));

            TranscriptLoad.Check check = load.check(jdbcUrl);
            figures.put("lost / duplicated / unexpected rows", check.lost() + " / " + check.duplicated() + " / " + check.unexpected());
            figures.print();
            assertThat(check.rows()).isEqualTo(SEGMENTS);
            assertThat(check.lost()).as("lost").isZero();
            assertThat(check.duplicated()).as("duplicated").isZero();
            assertThat(check.unexpected()).as("unexpected").isZero();
            assertThat(stack.restarts(SERVICE)).isEqualTo(1);
            assertThat(output.toString()).contains(SERVICE + " exited with code 137 (killed by SIGKILL)", SERVICE + " is ready again (restart 1");
        }
    }

    /**
     * A second instance shares the group; one is killed and not restarted (as when a machine is lost): the survivor
     * takes over its partitions, within 10 s, and finishes the load.
     */
    @Test
    @Order(2)
    void killedMidIngestTheSurvivingInstanceTakesOverLosingAndDuplicatingNothing() throws Exception {
        TranscriptLoad load = TranscriptLoad.of("crash-takeover", SEGMENTS / LINES_PER_CALL, LINES_PER_CALL);
        String jdbcUrl = stack.jdbcUrl();
        ServiceSpec spec = new ServiceSpec(SERVICE, dev.switchboard.infra.FreePorts.pick(), true);
        // Trusting the stack's tokens, as every service of the stack does: without a key to check them it would not start.
        Map<String, String> env = new HashMap<>(LocalAuth.ensure(stack.settings().stateDirectory()).serviceEnvironment(Map.of()));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(spec.port()));
        env.put("KAFKA_BOOTSTRAP_SERVERS", stack.kafkaBootstrapServers());
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl);
        env.put("QUARKUS_DATASOURCE_USERNAME", dev.switchboard.infra.EmbeddedPostgresServer.USER);
        env.put("QUARKUS_DATASOURCE_PASSWORD", dev.switchboard.infra.EmbeddedPostgresServer.PASSWORD);
        env.put("HOSTNAME", "second-instance"); // as on Kubernetes, where each pod has its own name
        GroupWatch group = new GroupWatch(stack.kafkaBootstrapServers(), GROUP, Topic.TRANSCRIPTS.topicName());
        await("the stack's instance owns every transcripts partition", Duration.ofSeconds(60),
                () -> group.owners().size() == 1 && group.ownedByOthersThan(Set.of()) == Topic.TRANSCRIPTS.partitions());
        Set<String> first = group.owners().keySet();
        ServiceProcess second = ServiceProcess.start(spec, stack.settings().root(), stack.settings().logs().resolve("second"), env, false);
        try (group) {
            second.awaitReady(Duration.ofSeconds(150));
            await("both instances own transcripts partitions", Duration.ofSeconds(60), () -> group.owners().size() == 2
                    && group.ownedByOthersThan(Set.of()) == Topic.TRANSCRIPTS.partitions());
            // Member ids survive rebalances: the new one is the second instance's.
            Map<String, Set<Integer>> secondOwns = new HashMap<>(group.owners());
            secondOwns.keySet().removeAll(first);
            assertThat(secondOwns).hasSize(1);

            CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> load.publish(stack.kafkaBootstrapServers()));
            await("a fifth of the load stored", Duration.ofMinutes(2), () -> load.stored(jdbcUrl) >= SEGMENTS / 5);
            Map<String, Set<Integer>> owned = new HashMap<>(group.owners());
            owned.keySet().retainAll(secondOwns.keySet());
            long killed = System.nanoTime();
            ProcessHandle.of(second.pid()).orElseThrow().destroyForcibly();
            long storedAtKill = load.stored(jdbcUrl);

            Figures figures = new Figures("kill -9 of one of two transcript service instances mid-ingest, not restarted");
            figures.put("stored when killed", String.format(Locale.ROOT, "%,d of %,d", storedAtKill, SEGMENTS));
            long takeover = awaitTakeover(group, owned.keySet(), load.roomsOn(partitionsOf(owned), Topic.TRANSCRIPTS.partitions()), jdbcUrl,
                    load, killed, figures, null);
            publishing.get();
            await("every segment stored", CATCH_UP_LIMIT, () -> load.stored(jdbcUrl) >= SEGMENTS);
            figures.put("catch-up: kill -> all 100,000 stored", seconds(System.nanoTime() - killed));
            TranscriptLoad.Check check = load.check(jdbcUrl);
            figures.put("lost / duplicated / unexpected rows", check.lost() + " / " + check.duplicated() + " / " + check.unexpected());
            figures.print();
            assertThat(check.lost()).as("lost").isZero();
            assertThat(check.duplicated()).as("duplicated").isZero();
            assertThat(check.unexpected()).as("unexpected").isZero();
            assertThat(Duration.ofNanos(takeover)).as("the survivor owns the killed instance's partitions").isLessThan(Duration.ofSeconds(10));
        } finally {
            second.requestStop();
            second.awaitStop(Duration.ofSeconds(10));
        }
    }

    /**
     * Waits until members other than the killed ones own every transcripts partition, and until rows of the rooms on
     * the killed member's partitions are stored again, recording both; returns nanoseconds from the kill to the takeover.
     *
     * @param replaced whether a new process replaced the killed one (null when none will)
     */
    private static long awaitTakeover(GroupWatch group, Set<String> killedMembers, Set<String> killedRooms, String jdbcUrl,
                                      TranscriptLoad load, long killed, Figures figures, BooleanSupplier replaced) {
        long storedAtKill = load.stored(jdbcUrl, killedRooms);
        long replacedAt = 0;
        long takeover = 0;
        long resumed = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while ((takeover == 0 || resumed == 0) && System.nanoTime() < deadline) {
            if (replaced != null && replacedAt == 0 && replaced.getAsBoolean()) {
                replacedAt = System.nanoTime();
            }
            if (takeover == 0 && group.ownedByOthersThan(killedMembers) == Topic.TRANSCRIPTS.partitions()) {
                takeover = System.nanoTime();
            }
            if (resumed == 0 && load.stored(jdbcUrl, killedRooms) > storedAtKill) {
                resumed = System.nanoTime();
            }
            sleep(100);
        }
        assertThat(takeover).as("the partitions were taken over").isPositive();
        assertThat(resumed).as("ingestion of the killed member's partitions resumed").isPositive();
        if (replacedAt > 0) {
            figures.put("kill -> new process started", seconds(replacedAt - killed));
        }
        figures.put("kill -> its partitions owned again (group coordinator)", seconds(takeover - killed));
        figures.put("kill -> rows of their rooms stored again", seconds(resumed - killed));
        return takeover - killed;
    }

    private static Set<Integer> partitionsOf(Map<String, Set<Integer>> owners) {
        Set<Integer> partitions = new java.util.TreeSet<>();
        owners.values().forEach(partitions::addAll);
        return partitions;
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within " + timeout + "\n" + output);
            }
            sleep(100);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
