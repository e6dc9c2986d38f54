package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.transcripts.store.AuditStore;
import dev.switchboard.transcripts.store.PlantedBug;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SegmentWriter;
import dev.switchboard.transcripts.store.SessionChange;
import dev.switchboard.transcripts.store.SessionWriter;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write that fails unexpectedly (a bug, planted in the store) on one record of a batch: the batch is written again
 * record by record, its other records are stored, and that record alone is dead-lettered through the service kit's
 * DeadLetters (service, consumer group, kind {@code failed}, the exception's message and class) and counted.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class UnexpectedWriteFailureTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    SegmentWriter segments;
    @Inject
    SessionWriter sessions;
    @Inject
    AuditStore audit;
    @Inject
    MeterRegistry metrics;

    @Test
    void aSegmentWhoseWriteFailsIsDeadLetteredAloneAndTheRestOfItsBatchIsStored() {
        Call call = Call.start("planted-bug");
        TranscriptSegment poison = call.caller(1, "the line the bug trips on", 1000, 1900);
        var bug = new PlantedBug<SegmentRow>(row -> row.segmentId().toString().equals(poison.getSegmentId()));
        QuarkusMock.installMockForType(PlantedBug.in(segments, bug), SegmentWriter.class);
        double counted = failedDeadLetters(Topic.TRANSCRIPTS);
        try (var dlq = TopicProbe.fromNow(Topic.TRANSCRIPTS_DLQ, new ByteArrayDeserializer())) {
            List<RecordMetadata> sent = Kafka.publishTogether(call.caller(0, "stored before it", 0, 900), poison,
                    call.caller(2, "stored after it", 2000, 2900));

            assertThat(Api.texts(Api.awaitTranscriptSize(call.room(), 2))).containsExactly("stored before it", "stored after it");
            assertDeadLetteredAlone(dlq, sent, sent.get(1), "transcript-service");
        }
        assertFailedAsABatchThenAlone(bug);
        assertThat(failedDeadLetters(Topic.TRANSCRIPTS)).isEqualTo(counted + 1);
    }

    @Test
    void aSessionEventWhoseWriteFailsIsDeadLetteredAloneAndTheRestOfItsBatchIsStored() {
        Call call = Call.start("planted-bug-event");
        var bug = new PlantedBug<SessionChange>(change -> change instanceof SessionChange.AnswerClassified && change.room().equals(call.room()));
        QuarkusMock.installMockForType(PlantedBug.in(sessions, bug), SessionWriter.class);
        double counted = failedDeadLetters(Topic.SESSION_EVENTS);
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS_DLQ, new ByteArrayDeserializer())) {
            List<RecordMetadata> sent = Kafka.publishTogether(call.started(), call.answerClassified(AnsweredBy.MACHINE, 500),
                    call.ended(EndReason.CALLER_HANGUP, 3000));

            JsonPath transcript = Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")));
            assertThat(transcript.getString("session.agentName")).as("SessionStarted, before it").isEqualTo("support-agent");
            assertThat(transcript.getString("session.endReason")).as("SessionEnded, after it").isEqualTo("CALLER_HANGUP");
            assertDeadLetteredAlone(dlq, sent, sent.get(1), "transcript-service");
        }
        assertFailedAsABatchThenAlone(bug);
        assertThat(failedDeadLetters(Topic.SESSION_EVENTS)).isEqualTo(counted + 1);
    }

    @Test
    void anAuditRecordWhoseWriteFailsIsDeadLetteredAloneAndTheRestOfItsBatchIsStored() {
        String room = "planted-bug-audit-" + UUID.randomUUID();
        AuditRecord before = audit(room);
        AuditRecord poison = audit(room);
        AuditRecord after = audit(room);
        var bug = new PlantedBug<AuditRecord>(record -> record.getAuditId().equals(poison.getAuditId()));
        QuarkusMock.installMockForType(PlantedBug.in(audit, bug), AuditStore.class);
        double counted = failedDeadLetters(Topic.AUDIT);
        try (var dlq = TopicProbe.fromNow(Topic.AUDIT_DLQ, new ByteArrayDeserializer())) {
            List<RecordMetadata> sent = Kafka.publishTogether(before, poison, after);

            assertThat(Api.awaitAuditIds(room, 2)).containsExactlyInAnyOrder(before.getAuditId(), after.getAuditId());
            assertDeadLetteredAlone(dlq, sent, sent.get(1), "transcript-service-audit");
        }
        assertFailedAsABatchThenAlone(bug);
        assertThat(failedDeadLetters(Topic.AUDIT)).isEqualTo(counted + 1);
    }

    /** The poison's dead letter says who dead-lettered it and why; no other record of its batch has one. */
    private static void assertDeadLetteredAlone(TopicProbe<byte[]> dlq, List<RecordMetadata> batch, RecordMetadata poison, String group) {
        ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> isFrom(r, poison), WAIT);
        assertThat(Kafka.header(dead, "dead-letter-service")).isEqualTo("transcript-service");
        assertThat(Kafka.header(dead, "dead-letter-consumer-group")).isEqualTo(group);
        assertThat(Kafka.header(dead, "dead-letter-kind")).isEqualTo("failed");
        assertThat(Kafka.header(dead, "dead-letter-reason")).isEqualTo(PlantedBug.MESSAGE);
        assertThat(Kafka.header(dead, "dead-letter-exception-class-name")).isEqualTo(IllegalStateException.class.getName());
        assertThat(dead.value()).isNotEmpty();
        assertThat(dlq.drainRecords(Duration.ofSeconds(2))).as("dead letters of the batch's records")
                .filteredOn(r -> batch.stream().anyMatch(sent -> isFrom(r, sent))).containsExactly(dead);
    }

    private static boolean isFrom(ConsumerRecord<String, byte[]> deadLetter, RecordMetadata sent) {
        return sent.topic().equals(Kafka.header(deadLetter, "dead-letter-topic"))
                && Integer.toString(sent.partition()).equals(Kafka.header(deadLetter, "dead-letter-partition"))
                && Long.toString(sent.offset()).equals(Kafka.header(deadLetter, "dead-letter-offset"));
    }

    /** The test's premise: the poison was first written with the rest of its batch, then alone. */
    private static void assertFailedAsABatchThenAlone(PlantedBug<?> bug) {
        assertThat(bug.failedWrites()).as("items of each write the bug failed").satisfiesExactly(
                batch -> assertThat(batch).isGreaterThanOrEqualTo(3),
                alone -> assertThat(alone).isEqualTo(1));
    }

    private double failedDeadLetters(Topic topic) {
        Counter counter = metrics.find("switchboard.kafka.dead-letters").tags("topic", topic.topicName(), "kind", "failed").counter();
        return counter == null ? 0 : counter.count();
    }

    private static AuditRecord audit(String room) {
        Issuer crm = Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build();
        return AuditRecords.action(crm, "default", "InjectContext", "APPLIED", Instant.now(), "agent-worker")
                .setRoom(room).setCommandId(UUID.randomUUID().toString()).build();
    }
}
