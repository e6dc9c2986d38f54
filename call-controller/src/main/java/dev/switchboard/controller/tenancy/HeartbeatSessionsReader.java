package dev.switchboard.controller.tenancy;

import dev.switchboard.controller.support.HeartbeatTopicProbe;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.kit.kafka.GrouplessConsumerSettings;
import dev.switchboard.kit.kafka.GrouplessFollower;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Which sessions the agent workers run, room by room, on every controller instance: a consumer without a group reads
 * the whole compacted heartbeat topic (one live record per worker) from the beginning and then follows it.
 *
 * <p>Why not the worker watch's records: that group gives each controller only the workers of its partitions, while a
 * call-control request for any room may reach any controller. The topic holds one record per worker, so reading all of
 * it is cheap.
 *
 * <p>A lookup is up to date: it first asks the broker how far the topic goes and waits until this reader has applied
 * everything up to there, so a session a worker reported before the request was handled is known, whatever the
 * reader's lag or a restart.
 */
@ApplicationScoped
public class HeartbeatSessionsReader {
    private static final Duration POLL = Duration.ofMillis(200);

    private final RoomSessions sessions;
    private final ReadProgress progress = new ReadProgress();
    private final HeartbeatTopicProbe probe;
    private final Map<String, Object> kafkaConfig;
    private final String topic;
    /** In the registry mode it keeps the writer schemas it fetched. */
    private final WorkerHeartbeatDeserializer heartbeats = new WorkerHeartbeatDeserializer();
    private final GrouplessFollower follower;
    private volatile boolean stopping;

    HeartbeatSessionsReader(HeartbeatTopicProbe probe, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                            @ConfigProperty(name = "switchboard.topics.worker-heartbeats") String topic, Clock clock) {
        this.sessions = new RoomSessions(clock);
        this.probe = probe;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.topic = topic;
        heartbeats.configure(this.kafkaConfig, false); // the registry settings, when the services use one
        // No group: every partition, no rebalance, nothing committed. The fetch is a long poll that the broker answers as
        // soon as a record arrives, so a request waiting for a fresh beat waits milliseconds.
        this.follower = new GrouplessFollower("heartbeat-sessions", "reading the worker heartbeats for the tenant fence",
                () -> GrouplessConsumerSettings.of(this.kafkaConfig, "call-controller-room-tenants"), this::follow, progress::stopped);
    }

    void start(@Observes StartupEvent event) {
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        follower.stop();
        heartbeats.close();
    }

    /** Whether the service is shutting down: this reader no longer follows the topic, and learns nothing more. */
    public boolean stopping() {
        return stopping;
    }

    /**
     * The sessions workers report in the room, as of everything on the heartbeat topic now; empty when that could not
     * be learnt within the timeout (the broker did not answer, or this reader is not following the topic).
     */
    public Optional<List<ReportedSession>> upToDate(String room, Duration timeout) {
        return upToDate(() -> sessions.in(room), timeout);
    }

    /**
     * The sessions workers report in the room as far as this reader has read, without asking the broker how far the
     * topic goes: cheap, for a watch that looks again soon; may miss a beat sent a moment ago.
     */
    public List<ReportedSession> known(String room) {
        return sessions.in(room);
    }

    /**
     * The sessions of every worker still beating (its latest beat, RUNNING or DRAINING, read within {@code window}), as
     * of everything on the heartbeat topic now; empty when that could not be learnt within the timeout.
     */
    public Optional<List<ReportedSession>> beatingUpToDate(Duration window, Duration timeout) {
        return upToDate(() -> sessions.beatingWithin(window), timeout);
    }

    private Optional<List<ReportedSession>> upToDate(Supplier<List<ReportedSession>> lookup, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Set<Integer> partitions = progress.awaitPartitions(timeout);
            if (partitions.isEmpty()) {
                return Optional.empty();
            }
            Optional<Map<Integer, Long>> ends = probe.endOffsets(partitions);
            if (ends.isEmpty() || !progress.awaitPast(ends.get(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return Optional.empty();
            }
            return Optional.of(lookup.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private void follow(KafkaConsumer<String, byte[]> c, BooleanSupplier running) {
        List<TopicPartition> partitions = GrouplessFollower.partitionsOf(c, topic);
        c.assign(partitions);
        c.seekToBeginning(partitions);
        progress.following(partitions.stream().map(TopicPartition::partition).toList());
        while (running.getAsBoolean()) {
            for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                apply(record);
            }
            // After the records: a lookup that sees the new position finds them applied.
            for (TopicPartition partition : partitions) {
                progress.at(partition.partition(), c.position(partition));
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            sessions.deleted(record.key());
            return;
        }
        WorkerHeartbeat beat;
        try {
            beat = heartbeats.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
            beat = null;
        }
        if (beat != null) {
            sessions.heard(beat);
        }
        // else poison: the worker watch dead-letters it; here the worker keeps what its last good record said
    }
}
