package dev.switchboard.stack;

import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.otel.FakeOtlpCollector;
import dev.switchboard.testing.otel.FakeOtlpCollector.ExportedSpan;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traces across the packaged services, exported over OTLP (the stack runs with tracing on and a collector of the
 * test's): the W3C trace context a client sends with an HTTP command follows it through Kafka to the worker that
 * applies it, back with its result to the gateway that answers, and with the transcript line it caused to the
 * transcript service that stores it; a command another system writes to Kafka with its own trace context is forwarded
 * and applied in that trace.
 */
@ExtendWith(PackagedStack.Resolver.class)
class TracingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void theStackIsTraced() {
        assertThat(PackagedStack.tracing()).as("the packaged stack runs traced (not with -Dpackaged.tracing=off)").isTrue();
    }

    @Test
    void oneTraceRunsFromTheHttpCommandThroughTheWorkerToItsResultAndItsStoredTranscriptLine(PackagedStack packaged) {
        FakeOtlpCollector otlp = packaged.otlp;
        new FakeLlmControl(packaged.llm.baseUrl()).reset();
        String room = "traced-" + System.nanoTime();
        String gateway = packaged.url("context-gateway");
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post(packaged.url("agent-worker") + "/v1/simulated-calls").then().statusCode(201);
        awaitLive(gateway, room);

        // The client is part of a trace already (its own service called ours): W3C trace context on the request.
        ClientTrace client = ClientTrace.random();
        String traceId = client.traceId();
        String clientSpan = client.spanId();
        Response injected = given().contentType(ContentType.JSON).header("traceparent", client.traceparent())
                .body(Map.of("role", "system", "text", "Order 7 is delayed.", "respond", false))
                .post(gateway + "/v1/sessions/" + room + "/context");
        assertThat(injected.statusCode()).as(injected.asString()).isEqualTo(200);
        assertThat(injected.jsonPath().getString("status")).isEqualTo("APPLIED");

        // The gateway's request span continues the client's trace.
        ExportedSpan request = otlp.await(s -> s.traceId().equals(traceId) && s.service().equals("context-gateway")
                && s.parentSpanId().equals(clientSpan), WAIT);
        // The worker applied the command as a span in that trace, under the gateway's publishing of it.
        ExportedSpan apply = otlp.await(s -> s.traceId().equals(traceId) && s.name().equals("apply InjectContext"), WAIT);
        assertThat(apply.service()).isEqualTo("agent-worker");
        assertThat(apply.attributes()).containsEntry("switchboard.room", room).containsEntry("switchboard.command_status", "APPLIED");
        awaitSpan(otlp, traceId, "context-gateway", apply.parentSpanId());
        // The result came back to the gateway in the same trace, from the worker.
        ExportedSpan resultReceived = otlp.await(s -> s.traceId().equals(traceId) && s.service().equals("context-gateway")
                && spanIds(otlp, traceId, "agent-worker").contains(s.parentSpanId()), WAIT);
        assertThat(resultReceived.spanId()).isNotEqualTo(request.spanId());
        // And the injected line the command caused was stored by the transcript service, in the same trace.
        ExportedSpan stored = otlp.await(s -> s.traceId().equals(traceId) && s.name().equals("store transcript segment"), WAIT);
        assertThat(stored.service()).isEqualTo("transcript-service");
        assertThat(stored.attributes()).containsEntry("switchboard.room", room);
        awaitSpan(otlp, traceId, "agent-worker", stored.parentSpanId());

        // Every span of the trace hangs off another one of it, except the gateway's, whose parent is the client's (the
        // services export in batches, so a child may arrive before its parent: wait until none is missing).
        List<ExportedSpan> trace = awaitConnected(otlp, traceId, clientSpan);
        assertThat(trace.stream().map(ExportedSpan::service).collect(Collectors.toSet()))
                .contains("context-gateway", "agent-worker", "transcript-service");
    }

    @Test
    void aCommandASystemWritesToTheBroadcastTopicIsForwardedAndAppliedInTheSystemsTrace(PackagedStack packaged) throws Exception {
        FakeOtlpCollector otlp = packaged.otlp;
        String room = "traced-forward-" + System.nanoTime();
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(packaged.url("agent-worker") + "/v1/simulated-calls")
                .then().statusCode(201);
        awaitLive(packaged.url("context-gateway"), room);

        ClientTrace system = ClientTrace.random();
        String traceId = system.traceId();
        SessionCommand command = new Commands(Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build())
                .injectContext(room, ContextRole.SYSTEM, "Order 8 shipped.", false);
        var record = new ProducerRecord<String, SpecificRecord>(Topic.SESSION_COMMANDS.topicName(), room, command);
        record.headers().add("traceparent", system.traceparent().getBytes(StandardCharsets.US_ASCII));
        try (var producer = new KafkaProducer<String, SpecificRecord>(Map.of("bootstrap.servers", packaged.stack.kafkaBootstrapServers()),
                new StringSerializer(), new AvroSerializer<>())) {
            producer.send(record).get(30, TimeUnit.SECONDS);
        }

        // The worker applied it in the system's trace, under the gateway's forwarding of it to the worker's own topic.
        ExportedSpan apply = otlp.await(s -> s.traceId().equals(traceId) && s.name().equals("apply InjectContext"), WAIT);
        assertThat(apply.attributes()).containsEntry("switchboard.command_id", command.getCommandId())
                .containsEntry("switchboard.command_status", "APPLIED");
        ExportedSpan forwarded = awaitSpan(otlp, traceId, "context-gateway", apply.parentSpanId());
        assertThat(forwarded.name()).startsWith("switchboard.session-commands.worker.");
    }

    @Test
    void aHangUpIsTracedFromTheHttpRequestThroughTheCallControllerToTheCallEndedTheGatewayWaitsFor(PackagedStack packaged) {
        FakeOtlpCollector otlp = packaged.otlp;
        String room = "traced-hangup-" + System.nanoTime();
        String gateway = packaged.url("context-gateway");
        given().contentType(ContentType.JSON).body(Map.of("room", room)).post(packaged.url("agent-worker") + "/v1/simulated-calls")
                .then().statusCode(201);
        awaitLive(gateway, room);

        ClientTrace client = ClientTrace.random();
        String traceId = client.traceId();
        given().contentType(ContentType.JSON).header("traceparent", client.traceparent())
                .body(Map.of("immediate", true, "reason", "traced")).post(gateway + "/v1/sessions/" + room + "/hangup")
                .then().statusCode(200);

        // The controller carried out the request in the gateway's trace, and what it published (CallEnded) came back in it.
        ExportedSpan handled = otlp.await(s -> s.traceId().equals(traceId) && s.name().equals("handle HangupRequested"), WAIT);
        assertThat(handled.service()).isEqualTo("call-controller");
        assertThat(handled.attributes()).containsEntry("switchboard.room", room).containsEntry("switchboard.outcome", "Done");
        awaitSpan(otlp, traceId, "context-gateway", handled.parentSpanId());
        otlp.await(s -> s.traceId().equals(traceId) && s.service().equals("call-controller") && s.name().startsWith("switchboard.session-events"), WAIT);
        otlp.await(s -> s.traceId().equals(traceId) && s.service().equals("agent-worker") && s.name().startsWith("switchboard.session-events"), WAIT);
    }

    @Test
    void aSpokenLineIsTracedFromTheWorkerThatHeardItToItsRowInPostgres(PackagedStack packaged) {
        FakeOtlpCollector otlp = packaged.otlp;
        var llm = new FakeLlmControl(packaged.llm.baseUrl());
        llm.reset();
        String room = "traced-line-" + System.nanoTime();
        String worker = packaged.url("agent-worker");
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post(worker + "/v1/simulated-calls").then().statusCode(201);
        llm.replyText("Happy to help.");
        given().contentType(ContentType.JSON).body(Map.of("text", "I need help with my bill."))
                .post(worker + "/v1/simulated-calls/" + room + "/utterances").then().statusCode(200);

        List<ExportedSpan> stored = awaitStored(otlp, room, 2);
        for (ExportedSpan line : stored) {
            awaitSpan(otlp, line.traceId(), "agent-worker", line.parentSpanId()); // the worker's side of the line's trace
        }
    }

    private static List<ExportedSpan> awaitStored(FakeOtlpCollector otlp, String room, int lines) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<ExportedSpan> stored = List.of();
        while (System.nanoTime() < deadline) {
            stored = otlp.spans().stream().filter(s -> s.name().equals("store transcript segment")
                    && room.equals(s.attributes().get("switchboard.room"))).toList();
            if (stored.size() >= lines) {
                return stored;
            }
            sleep(100);
        }
        throw new AssertionError("only " + stored.size() + " stored line(s) of " + room + " were traced");
    }

    /** Waits for the span of the service with that id in the trace (spans are exported in batches, in no set order). */
    private static ExportedSpan awaitSpan(FakeOtlpCollector otlp, String traceId, String service, String spanId) {
        return otlp.await(s -> s.traceId().equals(traceId) && s.service().equals(service) && s.spanId().equals(spanId), WAIT);
    }

    /** The trace once every span's parent is in it too (or is the client's span outside it). */
    private static List<ExportedSpan> awaitConnected(FakeOtlpCollector otlp, String traceId, String clientSpan) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            List<ExportedSpan> trace = otlp.trace(traceId);
            Set<String> ids = trace.stream().map(ExportedSpan::spanId).collect(Collectors.toSet());
            List<ExportedSpan> orphans = trace.stream().filter(s -> !ids.contains(s.parentSpanId()) && !s.parentSpanId().equals(clientSpan)).toList();
            if (orphans.isEmpty()) {
                return trace;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("spans whose parent is not in the trace: " + orphans);
            }
            sleep(100);
        }
    }

    private static Set<String> spanIds(FakeOtlpCollector otlp, String traceId, String service) {
        return otlp.trace(traceId).stream().filter(s -> s.service().equals(service)).map(ExportedSpan::spanId).collect(Collectors.toSet());
    }

    private static void awaitLive(String gateway, String room) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (given().get(gateway + "/v1/sessions/" + room).statusCode() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the gateway never saw " + room);
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
