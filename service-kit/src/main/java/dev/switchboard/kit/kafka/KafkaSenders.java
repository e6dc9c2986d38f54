package dev.switchboard.kit.kafka;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Makes the {@link KafkaSender}s of a service, all with the same publish timeout
 * ({@code switchboard.kafka.publish-timeout}, {@code SWITCHBOARD_KAFKA_PUBLISH_TIMEOUT}).
 */
@Singleton
public class KafkaSenders {
    private final Duration timeout;

    KafkaSenders(@ConfigProperty(name = "switchboard.kafka.publish-timeout", defaultValue = "10s") Duration timeout) {
        this.timeout = timeout;
    }

    /** A sender on the emitter's channel; {@code what} names its records in errors ("session command"). */
    public <T> KafkaSender<T> of(MutinyEmitter<Record<String, T>> emitter, String what) {
        return new KafkaSender<>(emitter, what, timeout);
    }

    public Duration timeout() {
        return timeout;
    }
}
