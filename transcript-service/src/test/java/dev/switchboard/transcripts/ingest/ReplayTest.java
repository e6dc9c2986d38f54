package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Replaying both topics from the beginning (as after an offset reset or a lost commit) leaves the store byte for byte as it was. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class ReplayTest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    KafkaClientService kafka;
    @Inject
    MeterRegistry metrics;

    @Test
    void replayingTheTopicsFromTheBeginningLeavesTheStoreUnchanged() {
        Call call = Call.start("replay");
        Kafka.publish(call.started());
        var interim = call.line(1, SpeakerRole.AGENT, "We can", 2000, 2500).setIsFinal(false);
        Kafka.publish(call.caller(0, "Can I change my delivery address?", 100, 1500), interim.build(),
                interim.setRevision(1).setIsFinal(true).setText("We can do that.").build());
        // The call controller's transfers (no session id): kept as an array in the session's row.
        Kafka.publish(call.transferFailed("t-replay-1", "tel:+15550701", CallFailureReason.BUSY, 486, "Busy Here", 3000),
                call.transferred("t-replay-2", "tel:+15550702", 4000));
        Kafka.publish(call.ended(EndReason.TRANSFERRED, 5000));
        Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status"))
                && List.of("Can I change my delivery address?", "We can do that.").equals(Api.texts(t))
                && List.of("BUSY", "TRANSFERRED").equals(t.getList("session.transfers.outcome")));
        awaitCaughtUp();

        List<String> sessions = Database.snapshot(dataSource, "sessions", "session_id");
        List<String> segments = Database.snapshot(dataSource, "segments", "segment_id");
        List<String> tombstones = Database.snapshot(dataSource, "deleted_sessions", "session_id");
        double transcriptsBefore = records("transcripts");
        double eventsBefore = records("session-events");
        long transcriptRecords = Kafka.recordCount(Topic.TRANSCRIPTS);
        long eventRecords = Kafka.recordCount(Topic.SESSION_EVENTS);
        assertThat(segments).isNotEmpty();

        seekToBeginning("transcripts");
        seekToBeginning("session-events");
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() ->
                records("transcripts") >= transcriptsBefore + transcriptRecords && records("session-events") >= eventsBefore + eventRecords);

        assertThat(Database.snapshot(dataSource, "sessions", "session_id")).isEqualTo(sessions);
        assertThat(Database.snapshot(dataSource, "segments", "segment_id")).isEqualTo(segments);
        assertThat(Database.snapshot(dataSource, "deleted_sessions", "session_id")).isEqualTo(tombstones);
    }

    /** Everything on the topics has been ingested once (a rebalance may have redelivered some: at least once). */
    private void awaitCaughtUp() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                records("transcripts") >= Kafka.recordCount(Topic.TRANSCRIPTS) && records("session-events") >= Kafka.recordCount(Topic.SESSION_EVENTS));
    }

    private void seekToBeginning(String channel) {
        var consumer = kafka.getConsumer(channel);
        consumer.runOnPollingThread(c -> {
            c.seekToBeginning(c.assignment());
            return null;
        }).await().atMost(Duration.ofSeconds(10));
    }

    private double records(String topic) {
        Counter counter = metrics.find("switchboard.transcripts.ingest.records").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }
}
