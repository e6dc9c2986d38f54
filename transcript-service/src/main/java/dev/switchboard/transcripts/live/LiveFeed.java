package dev.switchboard.transcripts.live;

import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.kit.kafka.GrouplessConsumerSettings;
import dev.switchboard.kit.kafka.GrouplessFollower;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * The live tail: a consumer without a group that reads the transcript and session-event topics from their end, on
 * every instance, and hands each transcript record to the {@link LiveHub} within 50 ms of its publication (the
 * hub decodes and redacts it, with the ingestion's mapper, when someone follows that room). It does not wait for
 * the database: the ingestion writes in batches and may lag under load, a live stream must not.
 *
 * <p>Why not the ingestion's consumer: that group spreads partitions over instances, so a stream served by one
 * instance would miss the rooms another instance ingests. A group-less consumer sees every partition and never
 * triggers a rebalance of the ingestion group.
 *
 * <p>A session's end is passed on only once this consumer has read past every segment that was on the transcript
 * topic when the SessionEnded arrived: the worker publishes SessionEnded after all its segments were acknowledged,
 * but on another topic, so it may be read first.
 */
@ApplicationScoped
public class LiveFeed {
    private static final Logger LOG = Logger.getLogger(LiveFeed.class);

    private final LiveHub hub;
    private final Counter skippedEvents;
    private final TranscriptsConfig config;
    private final Map<String, Object> kafkaConfig;
    private final String transcriptsTopic;
    private final String sessionEventsTopic;
    private final AvroCodec<SessionEvent> events = AvroCodec.of(SessionEvent.class);
    private final GrouplessFollower follower;

    LiveFeed(LiveHub hub, TranscriptsConfig config, MeterRegistry metrics,
             @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
             @ConfigProperty(name = "switchboard.topics.transcripts") String transcriptsTopic,
             @ConfigProperty(name = "switchboard.topics.session-events") String sessionEventsTopic) {
        this.hub = hub;
        this.config = config;
        this.skippedEvents = skipped(metrics, "session-event");
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        this.transcriptsTopic = transcriptsTopic;
        this.sessionEventsTopic = sessionEventsTopic;
        this.follower = new GrouplessFollower("transcript-live-feed", "the live tail", this::properties, this::follow, () -> {
        });
    }

    void start(@Observes StartupEvent event) {
        if (!config.live().enabled()) {
            LOG.info("live tail disabled: streams follow the database writes of this instance only");
            return;
        }
        follower.start();
    }

    void stop(@Observes ShutdownEvent event) {
        follower.stop();
    }

    private Map<String, Object> properties() {
        // No group: every partition, no rebalance, nothing committed.
        Map<String, Object> properties = GrouplessConsumerSettings.of(kafkaConfig, "transcript-service-live");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        // Every instance reads every line, watched or not: fetching whatever arrived (the default, one byte) made a
        // fetch per few records under load and cost a third of the service's CPU. Up to 50 ms of lines per fetch is
        // well within what a person watching a transcript notices.
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 65_536);
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 50);
        return properties;
    }

    private record PendingEnd(SessionEvent event, Map<TopicPartition, Long> transcriptEndOffsets) {
    }

    private void follow(KafkaConsumer<String, byte[]> c, BooleanSupplier running) {
        List<TopicPartition> transcriptPartitions = GrouplessFollower.partitionsOf(c, transcriptsTopic);
        List<TopicPartition> all = new ArrayList<>(transcriptPartitions);
        all.addAll(GrouplessFollower.partitionsOf(c, sessionEventsTopic));
        c.assign(all);
        c.seekToEnd(all);
        all.forEach(c::position); // fix the start now: what is published from here on is live
        LOG.infof("live tail following %s and %s (%d partitions)", transcriptsTopic, sessionEventsTopic, all.size());
        List<PendingEnd> pendingEnds = new ArrayList<>();
        while (running.getAsBoolean()) {
            for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(200))) {
                if (record.topic().equals(transcriptsTopic)) {
                    segment(record);
                } else {
                    SessionEvent event = decode(events, record);
                    if (event != null && event.getSessionId() != null) {
                        sessionEvent(c, event, transcriptPartitions, pendingEnds);
                    }
                }
            }
            releaseEnds(c, pendingEnds);
        }
    }

    private void segment(ConsumerRecord<String, byte[]> record) {
        hub.segmentSeen(record.key(), record.value());
    }

    private void sessionEvent(KafkaConsumer<String, byte[]> c, SessionEvent event, List<TopicPartition> transcriptPartitions,
                              List<PendingEnd> pendingEnds) {
        UUID sessionId;
        try {
            sessionId = UUID.fromString(event.getSessionId());
        } catch (IllegalArgumentException e) {
            return;
        }
        switch (event.getPayload()) {
            case SessionStarted started -> hub.started(sessionId, event.getRoom(), event.getOccurredAt(), started.getTenant());
            case SessionEnded ignored -> pendingEnds.add(new PendingEnd(event, c.endOffsets(transcriptPartitions)));
            case null, default -> {
            }
        }
    }

    private void releaseEnds(KafkaConsumer<String, byte[]> c, List<PendingEnd> pendingEnds) {
        for (Iterator<PendingEnd> it = pendingEnds.iterator(); it.hasNext(); ) {
            PendingEnd pending = it.next();
            boolean caughtUp = pending.transcriptEndOffsets().entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue());
            if (caughtUp) {
                it.remove();
                SessionEvent event = pending.event();
                SessionEnded ended = (SessionEnded) event.getPayload();
                hub.ended(event.getRoom(), new EndNotice(UUID.fromString(event.getSessionId()),
                        ended.getReason() == null ? null : ended.getReason().name(), event.getOccurredAt()));
            }
        }
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T decode(AvroCodec<T> codec, ConsumerRecord<String, byte[]> record) {
        try {
            if (record.value() != null) {
                return codec.decode(record.value());
            }
        } catch (RuntimeException e) {
            // poison: the ingestion dead-letters it; the live view skips it, counted
        }
        skippedEvents.increment();
        return null;
    }

    /**
     * The records the live view skips (null or undecodable: the ingestion's grouped consumers dead-letter the same
     * records, so nothing is lost, but a skip is never silent): {@code switchboard_transcripts_live_skipped_total}.
     */
    static Counter skipped(MeterRegistry metrics, String record) {
        return metrics.counter("switchboard.transcripts.live.skipped", "record", record);
    }

    /** Whether the tail is connected and following the topics. */
    public boolean running() {
        return follower.connected();
    }
}
