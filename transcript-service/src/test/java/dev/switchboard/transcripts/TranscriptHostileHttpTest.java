package dev.switchboard.transcripts;

import dev.switchboard.events.EndReason;
import dev.switchboard.testing.HostileHttpTest;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;

import java.util.List;
import java.util.Map;

/**
 * The reliability suite's hostile requests against the transcript API ({@code -Preliability}), on the real database.
 * A stored session with lines exists when the run starts, so the GET requests reach its renderings (json, text, SRT,
 * WebVTT), its conditional requests and search hits too, not only "no such session"; and a session that has not ended,
 * whose live tail ({@code /transcript/stream}) is served and stays open until the client leaves.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptHostileHttpTest extends HostileHttpTest {
    private static final String WORD = "refund";
    private Call stored;
    private Call live;

    @BeforeEach
    void aStoredAndALiveSession() {
        stored = Call.start("hostile");
        Kafka.publish(stored.started());
        Kafka.publish(stored.caller(0, "I want a " + WORD + " for <b>order</b> 42 --> now", 100, 2_100),
                stored.agent(1, "Sure.\n\nOne moment & thanks", 2_500, 3_400));
        Kafka.publish(stored.ended(EndReason.CALLER_HANGUP, 5_000));
        Api.awaitTranscriptSize(stored.room(), 2);
        live = Call.start("hostile-live");
        Kafka.publish(live.started());
        Kafka.publish(live.caller(0, "Is my " + WORD + " on its way?", 100, 1_900));
        Api.awaitTranscriptSize(live.room(), 1);
    }

    @Override
    protected ServiceApi api() {
        return TranscriptServiceConventionsTest.API;
    }

    @Override
    protected Map<String, List<String>> knownValues() {
        return Map.of("room", List.of(stored.room(), live.room()), "sessionId", List.of(stored.sessionId(), live.sessionId()),
                "q", List.of(WORD), "text", List.of(WORD),
                "format", List.of("json", "text", "srt", "vtt"), "outcome", List.of("ANSWERED", "BUSY"),
                "direction", List.of("INBOUND", "OUTBOUND"), "answeredBy", List.of("HUMAN", "MACHINE"));
    }
}
