package dev.switchboard.kit.kafka;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Publishes records keyed by room to one channel. Every send completes when the broker has acknowledged the record
 * (the channels use acks=all) and fails when it has not within the publish timeout, so nothing waits forever on an
 * unreachable broker. The same send in the three styles the services use: {@link #send} (Mutiny),
 * {@link #sendAsync} (CompletionStage) and {@link #sendAndAwait} (blocking, from a worker or virtual thread).
 */
public final class KafkaSender<T> {
    private final MutinyEmitter<Record<String, T>> emitter;
    private final String what;
    private final Duration timeout;

    KafkaSender(MutinyEmitter<Record<String, T>> emitter, String what, Duration timeout) {
        this.emitter = emitter;
        this.what = what;
        this.timeout = timeout;
    }

    public Uni<Void> send(String key, T value) {
        return bounded(Uni.createFrom().deferred(() -> emitter.send(Record.of(key, value))));
    }

    /** The same, to another topic than the channel's (e.g. a worker's own command topic). */
    public Uni<Void> send(String topic, String key, T value) {
        return bounded(Uni.createFrom().deferred(() -> emitter.sendMessage(Message.of(Record.of(key, value))
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withTopic(topic).build()))));
    }

    private Uni<Void> bounded(Uni<Void> send) {
        return send.ifNoItem().after(timeout)
                .failWith(() -> new TimeoutException("Kafka did not acknowledge the " + what + " within " + timeout.toMillis() + " ms"));
    }

    public CompletionStage<Void> sendAsync(String key, T value) {
        return send(key, value).subscribeAsCompletionStage();
    }

    /** Blocks until the broker has the record; throws (a CompletionException around the cause) when it has not. */
    public void sendAndAwait(String key, T value) {
        send(key, value).await().indefinitely();
    }

    public Duration timeout() {
        return timeout;
    }
}
