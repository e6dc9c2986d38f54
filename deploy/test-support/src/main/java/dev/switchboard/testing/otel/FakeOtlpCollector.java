package dev.switchboard.testing.otel;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector's OTLP/HTTP traces endpoint (POST {@code /v1/traces}, protobuf, optionally gzip), for
 * tests only: it keeps every span the services export so a test can follow one trace across them. Services point
 * at it with {@code QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} and protocol {@code http/protobuf}.
 */
public final class FakeOtlpCollector implements AutoCloseable {
    /**
     * One exported span, reduced to what a test follows: who made it, its name, where it sits in its trace, and when
     * it started and ended (nanoseconds since the epoch, by the exporting service's clock).
     */
    public record ExportedSpan(String service, String name, String traceId, String spanId, String parentSpanId,
                               Map<String, String> attributes, long startEpochNanos, long endEpochNanos) {
        public boolean isRoot() {
            return parentSpanId.isEmpty();
        }
    }

    private static final HexFormat HEX = HexFormat.of();
    private final HttpServer server;
    private final List<ExportedSpan> spans = new CopyOnWriteArrayList<>();

    public FakeOtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OTLP collector", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/v1/traces", this::export);
        server.start();
    }

    /** The base URL (the exporter adds /v1/traces). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The services' settings that send their spans here, quickly. */
    public Map<String, String> serviceEnvironment() {
        return Map.of("QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", url(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
    }

    public List<ExportedSpan> spans() {
        return List.copyOf(spans);
    }

    public List<ExportedSpan> trace(String traceId) {
        return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
    }

    /** Waits for a span that matches, failing after the timeout with what was exported. */
    public ExportedSpan await(Predicate<ExportedSpan> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ExportedSpan span : spans) {
                if (match.test(span)) {
                    return span;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("no matching span within " + timeout + "; exported: "
                + spans.stream().map(s -> s.service() + ":" + s.name()).collect(Collectors.joining(", ")));
    }

    private void export(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            InputStream body = exchange.getRequestBody();
            if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                body = new GZIPInputStream(body);
            }
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
            for (ResourceSpans resource : request.getResourceSpansList()) {
                String service = attributes(resource.getResource().getAttributesList()).getOrDefault("service.name", "?");
                for (ScopeSpans scope : resource.getScopeSpansList()) {
                    scope.getSpansList().forEach(span -> spans.add(new ExportedSpan(service, span.getName(),
                            HEX.formatHex(span.getTraceId().toByteArray()), HEX.formatHex(span.getSpanId().toByteArray()),
                            HEX.formatHex(span.getParentSpanId().toByteArray()), attributes(span.getAttributesList()),
                            span.getStartTimeUnixNano(), span.getEndTimeUnixNano())));
                }
            }
            byte[] response = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, response.length == 0 ? -1 : response.length);
            if (response.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(response);
                }
            }
        }
    }

    private static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> switch (kv.getValue().getValueCase()) {
            case STRING_VALUE -> kv.getValue().getStringValue();
            case INT_VALUE -> Long.toString(kv.getValue().getIntValue());
            case BOOL_VALUE -> Boolean.toString(kv.getValue().getBoolValue());
            case DOUBLE_VALUE -> Double.toString(kv.getValue().getDoubleValue());
            default -> kv.getValue().toString();
        }, (first, second) -> second));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
