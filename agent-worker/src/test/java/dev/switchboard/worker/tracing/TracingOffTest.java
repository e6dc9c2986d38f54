package dev.switchboard.worker.tracing;

import dev.switchboard.kit.kafka.RecordTraces;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing is off by default, and then nothing pays for it: Quarkus' disabled SDK would still record every span the
 * Kafka connector and the worker start (about a tenth of the worker's CPU under load, for traces nobody receives).
 * The traced side is {@code TracingTest} on the packaged stack.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class TracingOffTest {
    @Inject
    RecordTraces traces;

    @Test
    void theKafkaConnectorDoesNotTraceWhileTheSdkIsDisabled() {
        var config = ConfigProvider.getConfig();
        assertThat(config.getValue("quarkus.otel.sdk.disabled", Boolean.class)).isTrue();
        assertThat(config.getValue("mp.messaging.connector.smallrye-kafka.tracing-enabled", Boolean.class)).isFalse();
    }

    @Test
    void theWorkersOwnSpansRecordNothing() {
        assertThat(traces.enabled()).isFalse();
        var span = traces.span("apply InjectContext", Context.root()).startSpan();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.getSpanContext().isValid()).as("a span nobody exports needs no ids").isFalse();
        span.end();
    }

    @Test
    void noContextIsMadeCurrentForWorkNobodyTraces() {
        ContextKey<String> probe = ContextKey.named("probe");
        Context carried = Context.root().with(probe, "carried");
        assertThat(traces.within(carried, () -> Context.current().get(probe))).isNull();
        assertThat(traces.carrying(carried, (String ignored) -> Context.current().get(probe)).apply("")).isNull();
    }
}
