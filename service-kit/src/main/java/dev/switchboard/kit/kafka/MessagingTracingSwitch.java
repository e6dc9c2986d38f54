package dev.switchboard.kit.kafka;

import io.smallrye.config.ConfigSourceInterceptor;
import io.smallrye.config.ConfigSourceInterceptorContext;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.Priorities;
import jakarta.annotation.Priority;

/**
 * Turns the Kafka connector's tracing on and off with the OpenTelemetry SDK, so {@code QUARKUS_OTEL_SDK_DISABLED}
 * stays the one switch for tracing. With the SDK disabled Quarkus still hands the connector an SDK that records
 * spans (it only exports nothing), and the connector then starts and ends a span and writes a {@code traceparent}
 * header for every record it sends or receives: about 6 % of the gateway's and 9 % of the worker's CPU under load,
 * for traces nobody receives. An explicit {@code mp.messaging.connector.smallrye-kafka.tracing-enabled} (or a
 * channel's own {@code tracing-enabled}) still wins.
 */
@Priority(Priorities.LIBRARY + 100)
public class MessagingTracingSwitch implements ConfigSourceInterceptor {
    static final String CONNECTOR_TRACING = "mp.messaging.connector.smallrye-kafka.tracing-enabled";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";

    @Override
    public ConfigValue getValue(ConfigSourceInterceptorContext context, String name) {
        ConfigValue value = context.proceed(name);
        if (value != null || !CONNECTOR_TRACING.equals(name)) {
            return value;
        }
        ConfigValue sdkDisabled = context.proceed(SDK_DISABLED);
        boolean tracing = sdkDisabled == null || !Boolean.parseBoolean(sdkDisabled.getValue());
        return ConfigValue.builder().withName(name).withValue(Boolean.toString(tracing))
                .withConfigSourceName(getClass().getSimpleName()).build();
    }
}
