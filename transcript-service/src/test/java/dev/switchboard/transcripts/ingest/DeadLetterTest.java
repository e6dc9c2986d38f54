package dev.switchboard.transcripts.ingest;

import dev.switchboard.events.EndReason;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

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
            assertThat(header(dead, "dead-letter-reason")).contains("cannot decode TranscriptSegment");
            assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topic.TRANSCRIPTS.topicName());
            assertThat(header(dead, "dead-letter-offset")).matches("\\d+");
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
            assertThat(header(dead, "dead-letter-reason")).isEqualTo("sessionId is not a UUID: 'not-a-uuid'");
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
            assertThat(header(dead, "dead-letter-reason")).contains("cannot decode SessionEvent");
            assertThat(header(dead, "dead-letter-topic")).isEqualTo(Topic.SESSION_EVENTS.topicName());
        }
        JsonPath transcript = Api.awaitTranscript(call.room(), t -> "ended".equals(t.getString("session.status")));
        assertThat(transcript.getString("session.endReason")).isEqualTo("CALLER_HANGUP");
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        assertThat(header).as("header " + name).isNotNull();
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
