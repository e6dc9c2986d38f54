package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.Usage;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.testing.auth.AuthAssertions.as;

import static org.assertj.core.api.Assertions.assertThat;

/** A record that cannot be stored lands in the dead-letter topic with the reason, and the next record is still stored. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class DeadLetterTest {

    @Test
    void anUndecodableSegmentGoesToTheDeadLetterTopicAndTheNextOneIsStored() {
        Call call = Call.start("poison");
        byte[] poison = ("not avro " + call.room()).getBytes(StandardCharsets.UTF_8);
        try (var dlq = TopicProbe.fromNow(Topic.TRANSCRIPTS_DLQ, new ByteArrayDeserializer())) {
            Kafka.send(Topic.TRANSCRIPTS, call.room(), poison);
            Kafka.publish(call.caller(0, "I am still here.", 100, 900));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> Arrays.equals(r.value(), poison), Duration.ofSeconds(20));
            assertThat(dead.key()).isEqualTo(call.room());
            assertThat(Kafka.header(dead, "dead-letter-reason")).contains("cannot decode TranscriptSegment");
            assertThat(Kafka.header(dead, "dead-letter-topic")).isEqualTo(Topic.TRANSCRIPTS.topicName());
            assertThat(Kafka.header(dead, "dead-letter-offset")).matches("\\d+");
        }
        assertThat(Api.texts(Api.awaitTranscriptSize(call.room(), 1))).containsExactly("I am still here.");
    }

    @Test
    void aSegmentThatCannotBeStoredGoesToTheDeadLetterTopicWithTheReason() {
        Call call = Call.start("invalid");
        try (var dlq = TopicProbe.fromNow(Topic.TRANSCRIPTS_DLQ, new ByteArrayDeserializer())) {
            Kafka.publish(call.line(0, dev.switchboard.events.SpeakerRole.USER, "lost", 0, 100).setSessionId("not-a-uuid").build());
            Kafka.publish(call.caller(1, "kept", 200, 900));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> call.room().equals(r.key()), Duration.ofSeconds(20));
            assertThat(Kafka.header(dead, "dead-letter-reason")).isEqualTo("sessionId is not a UUID: 'not-a-uuid'");
            assertThat(dead.value()).isNotEmpty();
        }
        assertThat(Api.texts(Api.awaitTranscriptSize(call.room(), 1))).containsExactly("kept");
    }

    @Test
    void anUndecodableSessionEventGoesToItsDeadLetterTopicAndTheNextOneIsStored() {
        Call call = Call.start("poison-event");
        byte[] poison = new byte[]{(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9};
        Kafka.publish(call.caller(0, "hello", 100, 900));
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS_DLQ, new ByteArrayDeserializer())) {
            Kafka.send(Topic.SESSION_EVENTS, call.room(), poison);
            Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 3000));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> call.room().equals(r.key()), Duration.ofSeconds(20));
            assertThat(dead.value()).isEqualTo(poison);
            assertThat(Kafka.header(dead, "dead-letter-reason")).contains("cannot decode SessionEvent");
            assertThat(Kafka.header(dead, "dead-letter-topic")).isEqualTo(Topic.SESSION_EVENTS.topicName());
        }
        JsonPath transcript = Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")));
        assertThat(transcript.getString("session.endReason")).isEqualTo("CALLER_HANGUP");
    }

    @Test
    void anUndecodableAuditRecordGoesToItsDeadLetterTopicAndTheNextOneIsStored() {
        String room = "poison-audit-" + UUID.randomUUID();
        byte[] poison = ("not an audit record " + room).getBytes(StandardCharsets.UTF_8);
        AuditRecord next = audit(room, "APPLIED", null);
        try (var dlq = TopicProbe.fromNow(Topic.AUDIT_DLQ, new ByteArrayDeserializer())) {
            Kafka.send(Topic.AUDIT, room, poison);
            Kafka.publish(next);

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> Arrays.equals(r.value(), poison), Duration.ofSeconds(20));
            assertThat(dead.key()).isEqualTo(room);
            assertThat(Kafka.header(dead, "dead-letter-reason")).contains("cannot decode AuditRecord");
            assertThat(Kafka.header(dead, "dead-letter-topic")).isEqualTo(Topic.AUDIT.topicName());
        }
        assertThat(Api.awaitAuditIds(room, 1)).containsExactly(next.getAuditId());
    }

    @Test
    void anAuditRecordOfATimeOutsideFourDigitYearsGoesToTheDeadLetterTopicAndTheOthersAreStored() {
        String room = "refused-audit-" + UUID.randomUUID();
        // Avro's timestamps reach far beyond PostgreSQL's: the largest is refused by the database, the smallest it would
        // quietly store as -infinity, which every API would then show as a time nobody sent.
        AuditRecord late = auditBy(CRM, room, "REJECTED", null).setOccurredAt(Instant.parse("+300000-01-01T00:00:00Z")).build();
        AuditRecord early = auditBy(CRM, room, "REJECTED", null).setOccurredAt(Instant.ofEpochMilli(Long.MIN_VALUE)).build();
        AuditRecord kept = audit(room, "APPLIED", null);
        try (var dlq = TopicProbe.fromNow(Topic.AUDIT_DLQ, new ByteArrayDeserializer())) {
            Kafka.publish(late, early, kept);

            for (int i = 0; i < 2; i++) {
                ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> room.equals(r.key()), Duration.ofSeconds(20));
                assertThat(Kafka.header(dead, "dead-letter-reason")).startsWith("occurredAt is out of range: ")
                        .endsWith(" is not in the years 0001 to 9999");
                assertThat(Kafka.header(dead, "dead-letter-topic")).isEqualTo(Topic.AUDIT.topicName());
            }
        }
        assertThat(Api.awaitAuditIds(room, 1)).containsExactly(kept.getAuditId());
    }

    @Test
    void aSessionEventOfATimeOutsideFourDigitYearsGoesToTheDeadLetterTopicAndNothingOfItIsStored() {
        Call call = Call.start("absurd-time");
        Kafka.publish(call.caller(0, "hello", 100, 900));
        try (var dlq = TopicProbe.fromNow(Topic.SESSION_EVENTS_DLQ, new ByteArrayDeserializer())) {
            Kafka.publish(call.event(Instant.ofEpochMilli(Long.MIN_VALUE), call.startedPayload().build()));
            Kafka.publish(call.ended(EndReason.CALLER_HANGUP, 3000));

            ConsumerRecord<String, byte[]> dead = dlq.awaitRecord(r -> call.room().equals(r.key()), Duration.ofSeconds(20));
            assertThat(Kafka.header(dead, "dead-letter-reason")).startsWith("occurredAt is out of range: ");
        }
        JsonPath transcript = Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")));
        assertThat(Instant.parse(transcript.getString("session.startedAt"))).isAfter(Instant.parse("2000-01-01T00:00:00Z"));
    }

    @Test
    void anAuditRecordWithNulCharactersIsStoredWithReplacementCharacters() {
        String room = "nul-audit-" + UUID.randomUUID();
        Issuer ops = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("ops").setDisplayName("Ops\0Desk").build();
        AuditRecord record = auditBy(ops, room, "REJECTED", "a reason with a NUL (\0), which PostgreSQL text cannot hold").build();

        Kafka.publish(record);

        assertThat(Api.awaitAuditIds(room, 1)).containsExactly(record.getAuditId());
        JsonPath stored = as(TestTokens.admin()).get("/v1/audit?room=" + room).then().statusCode(200).extract().jsonPath();
        assertThat(stored.getString("records[0].detail")).isEqualTo("a reason with a NUL (\uFFFD), which PostgreSQL text cannot hold");
        assertThat(stored.getString("records[0].actor.displayName")).isEqualTo("Ops\uFFFDDesk");
    }

    @Test
    void aSessionEndWithNulCharactersIsStoredWithReplacementCharactersNotLost() {
        Call call = Call.start("nul-end");
        Kafka.publish(call.started(call.startedPayload().setMetadata(Map.of("crm\0id", "42\0")).build()));
        Kafka.publish(call.event(call.startedAt().plusSeconds(3), SessionEnded.newBuilder()
                .setReason(EndReason.OPERATOR_HANGUP).setDurationMs(3000)
                .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("ops").setDisplayName("Ops\0Desk").build())
                .setDetail("wrong\0number").setUsage(Usage.newBuilder().build()).build()));

        JsonPath transcript = Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")));
        assertThat(transcript.getString("session.endReason")).isEqualTo("OPERATOR_HANGUP");
        assertThat(transcript.getString("session.endDetail")).isEqualTo("wrong\uFFFDnumber");
        assertThat(transcript.getString("session.endedBy.displayName")).isEqualTo("Ops\uFFFDDesk");
        assertThat(transcript.getMap("session.metadata")).containsEntry("crm\uFFFDid", "42\uFFFD");
    }

    private static final Issuer CRM = Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build();

    private static AuditRecord audit(String room, String outcome, String detail) {
        return auditBy(CRM, room, outcome, detail).build();
    }

    private static AuditRecord.Builder auditBy(Issuer actor, String room, String outcome, String detail) {
        return AuditRecords.action(actor, "default", "InjectContext", outcome, Instant.now(), "agent-worker")
                .setRoom(room).setCommandId(UUID.randomUUID().toString()).setDetail(detail);
    }
}
