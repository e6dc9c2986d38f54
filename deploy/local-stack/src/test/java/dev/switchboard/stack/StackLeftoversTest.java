package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever way the stack ends, nothing it started outlives it or blocks the next start: on the stack as
 * {@code ./switchboard up} runs it (its own JVM), killed with {@code kill -9}, started again on the same ports.
 */
class StackLeftoversTest {
    private static final String SERVICE = "transcript-service";
    private static final Duration START = Duration.ofSeconds(180);

    @TempDir
    Path state;

    @Test
    void aStackKilledWithKill9LeavesNothingBehindOrStopsWhatWasLeftAndTheNextStartsOnTheSamePorts() throws Exception {
        Map<String, String> env = StackProcess.environment(state, SERVICE);
        int gatewayPort = Integer.parseInt(env.get("SWITCHBOARD_GATEWAY_PORT"));
        ProcessHandle postgres = null;
        Process orphan = null;
        try {
            // 1. kill -9: the kernel kills the service (its parent-death signal), the guard stops PostgreSQL.
            try (StackProcess stack = StackProcess.start(env, state.resolve("console-1.log"))) {
                stack.awaitConsole("all services ready", START);
                ProcessHandle service = StackProcess.recorded(state.resolve(SERVICE + ".pid")).orElseThrow();
                postgres = StackProcess.postgres(state).orElseThrow();
                long killed = System.nanoTime();
                stack.kill();
                assertThat(StackProcess.awaitGone(service, Duration.ofSeconds(10))).as("the service died with the stack").isTrue();
                long serviceGone = System.nanoTime();
                assertThat(StackProcess.awaitGone(postgres, Duration.ofSeconds(15))).as("PostgreSQL stopped after the stack died").isTrue();
                System.out.printf("stack killed: its service gone after %.1f s, its PostgreSQL after %.1f s%n",
                        (serviceGone - killed) / 1e9, (System.nanoTime() - killed) / 1e9);
            }

            // 2. The next stack starts on the same ports. Then the safeguards are defeated: its guard is killed with it,
            //    and a gateway runs that was started without the signal, as on a system without setpriv.
            try (StackProcess stack = StackProcess.start(env, state.resolve("console-2.log"))) {
                stack.awaitConsole("all services ready", START);
                assertThat(stack.console()).doesNotContain("left running by an earlier stack");
                postgres = StackProcess.postgres(state).orElseThrow();
                // A service refuses to start without knowing whom to trust: give it the stack's key, as the stack does.
                Map<String, String> orphanEnv = new java.util.HashMap<>(LocalAuth.ensure(state).serviceEnvironment(Map.of()));
                orphanEnv.put("QUARKUS_HTTP_PORT", Integer.toString(gatewayPort));
                orphanEnv.put("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + env.get("SWITCHBOARD_KAFKA_PORT"));
                orphan = startWithoutParentDeathSignal("context-gateway", orphanEnv);
                Files.writeString(state.resolve("context-gateway.pid"), Long.toString(orphan.pid()));
                long deadline = System.nanoTime() + START.toNanos();
                while (!FreePorts.inUse(gatewayPort)) {
                    assertThat(orphan.isAlive()).as("the gateway runs").isTrue();
                    assertThat(System.nanoTime()).as("the gateway listens").isLessThan(deadline);
                    StackProcess.pause(200);
                }
                List<ProcessHandle> guards = stack.handle().children().filter(p -> Processes.commandLine(p).contains("postmaster.pid")).toList();
                assertThat(guards).as("the PostgreSQL guard").hasSize(1);
                guards.forEach(ProcessHandle::destroyForcibly);
                stack.kill();
            }
            StackProcess.pause(3000);
            assertThat(postgres.isAlive()).as("PostgreSQL left running").isTrue();
            assertThat(orphan.isAlive()).as("the gateway left running").isTrue();

            // 3. The next stack (now with a gateway, on the port the leftover holds) recognises both and stops them.
            env.put("SWITCHBOARD_SERVICES", SERVICE + ",context-gateway");
            try (StackProcess stack = StackProcess.start(env, state.resolve("console-3.log"))) {
                stack.awaitConsole("all services ready", START);
                assertThat(stack.console()).contains(
                        "stopping context-gateway (pid " + orphan.pid() + "), left running by an earlier stack",
                        "stopping PostgreSQL (pid " + postgres.pid() + "), left running by an earlier stack");
                assertThat(postgres.isAlive()).isFalse();
                assertThat(orphan.isAlive()).isFalse();

                // 4. ./switchboard down (SIGTERM) stops everything in order.
                ProcessHandle newPostgres = StackProcess.postgres(state).orElseThrow();
                List<ProcessHandle> children = stack.handle().children().toList();
                stack.terminate(Duration.ofSeconds(60));
                assertThat(stack.console()).contains("stopping Switchboard...", "stopped.");
                assertThat(StackProcess.awaitGone(newPostgres, Duration.ofSeconds(10))).isTrue();
                assertThat(children).allMatch(child -> StackProcess.awaitGone(child, Duration.ofSeconds(10)));
            }
        } finally {
            if (orphan != null) {
                orphan.destroyForcibly();
            }
            if (postgres != null) {
                postgres.destroyForcibly();
            }
        }
    }

    /** A service as a stack on a system without setpriv would have started it: nothing kills it when the stack dies. */
    private static Process startWithoutParentDeathSignal(String service, Map<String, String> env) throws Exception {
        Path log = Files.createDirectories(Path.of("target", "leftovers-test")).resolve(service + ".log");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "-XX:+UseSerialGC",
                "-jar", ServiceSpec.application(TestStacks.repositoryRoot(), service).toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }
}
