package dev.switchboard.stack;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stack behind ./switchboard up, started for real on free ports. */
class LocalStackTest {

    @Test
    void startsEveryServiceReadyAgainstRealKafkaAndPostgresAndLeavesNoProcessBehind() throws Exception {
        StackSettings settings = TestStacks.onFreePorts();
        var output = new ByteArrayOutputStream();
        try (LocalStack stack = LocalStack.start(settings, Map.of(), new PrintStream(output, true))) {
            HttpClient http = HttpClient.newHttpClient();
            for (var service : settings.services()) {
                var response = http.send(HttpRequest.newBuilder(URI.create(service.url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(service.name()).isEqualTo(200);
                assertThat(response.body()).contains("Kafka connection health check");
            }
            var transcripts = http.send(HttpRequest.newBuilder(URI.create(stack.url("transcript-service") + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(transcripts.body()).contains("Database connections health check");
            assertThat(stack.describe()).contains(stack.kafkaBootstrapServers(), stack.jdbcUrl());
            assertThat(ProcessHandle.current().children().count()).as("four service processes (and PostgreSQL)").isGreaterThanOrEqualTo(4);
        }
        assertThat(output.toString()).contains("ready: agent-worker");
        // Let the PostgreSQL postmaster finish its own exit after pg_ctl stop returns.
        long deadline = System.currentTimeMillis() + 10_000;
        while (ProcessHandle.current().descendants().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(p -> p.info().commandLine().orElse("?")))
                .as("processes left behind").isEmpty();
    }

    @Test
    void aPortInUseIsNamedInTheError() throws Exception {
        StackSettings settings = TestStacks.onFreePorts();
        int gatewayPort = settings.services().getFirst().port();
        try (ServerSocket squatter = new ServerSocket(gatewayPort)) {
            assertThatThrownBy(() -> LocalStack.start(settings, Map.of(), new PrintStream(new ByteArrayOutputStream())))
                    .isInstanceOf(StackException.class)
                    .hasMessageContaining("port " + gatewayPort + " (context-gateway) is already in use");
        }
    }
}
