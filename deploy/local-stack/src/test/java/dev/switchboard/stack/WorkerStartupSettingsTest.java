package dev.switchboard.stack;

import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.StackSettings.ServiceSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A packaged worker with a bad setting that only a call would use (a tenancy rule naming an invalid tenant) refuses
 * to start, instead of reporting ready and failing its first LiveKit call: the beans a call needs are made at start.
 * It says so in one line naming the setting, without a stack trace, and before it waits on the broker.
 */
class WorkerStartupSettingsTest {
    @TempDir
    Path state;

    @Test
    void aWorkerWithAnInvalidTenancyRuleStopsAtStartNamingTheSetting() throws Exception {
        Path log = state.resolve("agent-worker.log");
        Map<String, String> env = new HashMap<>(LocalAuth.ensure(state).serviceEnvironment(Map.of()));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(FreePorts.pick()));
        // Nothing listens there: the worker must stop on its settings before it would need the broker.
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + FreePorts.pick());
        ProcessBuilder builder = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElseThrow(), "-XX:+UseSerialGC",
                "--enable-native-access=ALL-UNNAMED", "-Dswitchboard.tenancy.room-prefix.acme-=Not A Tenant!",
                "-jar", ServiceSpec.application(TestStacks.repositoryRoot(), "agent-worker").toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        Process worker = builder.start();
        try {
            boolean exited = worker.waitFor(120, TimeUnit.SECONDS);

            assertThat(exited).as("the worker stopped by itself; its log:%n%s", Files.readString(log)).isTrue();
            assertThat(worker.exitValue()).isNotZero();
            String output = Files.readString(log);
            assertThat(output).contains("switchboard.tenancy.room-prefix.acme- = 'Not A Tenant!' is not a valid tenant name");
            assertThat(output).as("no stack trace").doesNotContainPattern("(?m)^\\s+at \\S+\\(").doesNotContain("Caused by:", "Exception");
            assertThat(output).as("stopped before it waited on the broker").doesNotContain("command topic");
        } finally {
            worker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
