package dev.switchboard.kit.kafka;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import jakarta.inject.Singleton;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The trace a consumed record belongs to, read from its W3C trace context headers ({@code traceparent},
 * {@code tracestate}), so the work a service does for a record (a worker applying a command, the transcript service
 * storing a line) joins the trace of whoever published it, even when it runs on another thread long after the
 * consumer's own span ended. The outgoing side needs nothing here: Quarkus adds the current trace to every record
 * an emitter sends.
 *
 * <p>With tracing off (the default) the context is the root one and the tracer a no-op, so the spans cost nothing:
 * Quarkus' disabled SDK would still record them, only export nothing.
 */
@Singleton
public class RecordTraces {
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(header -> keys.add(header.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;
    private final boolean enabled;

    RecordTraces(OpenTelemetry openTelemetry, @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean disabled) {
        this.openTelemetry = openTelemetry;
        this.enabled = !disabled;
        this.tracer = enabled ? openTelemetry.getTracer("dev.switchboard") : TracerProvider.noop().get("dev.switchboard");
    }

    /** Whether spans are recorded and exported; work done only for a trace can be skipped when not. */
    public boolean enabled() {
        return enabled;
    }

    /** The publisher's trace context carried by the record, or the root context when it carries none. */
    public Context contextOf(Message<?> record) {
        if (!enabled) {
            return Context.root();
        }
        return IncomingRecords.metadata(record)
                .map(metadata -> openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), metadata.getHeaders(), HEADERS))
                .orElseGet(Context::root);
    }

    /**
     * Does the work with the context current, so what it publishes joins the trace; with tracing off it just does it:
     * making a context current is not free even then (Quarkus keeps it in the Vert.x context and the logging MDC).
     */
    public <T> T within(Context context, Supplier<T> work) {
        if (!enabled) {
            return work.get();
        }
        try (Scope ignored = context.makeCurrent()) {
            return work.get();
        }
    }

    /** The function, run with the context current when tracing is on (for work continued on another thread). */
    public <T, R> Function<T, R> carrying(Context context, Function<T, R> function) {
        return enabled ? context.wrapFunction(function) : function;
    }

    /** A span for work done on behalf of a record, a child of the record's trace. */
    public SpanBuilder span(String name, Context parent) {
        return tracer.spanBuilder(name).setParent(parent).setSpanKind(SpanKind.INTERNAL);
    }
}
