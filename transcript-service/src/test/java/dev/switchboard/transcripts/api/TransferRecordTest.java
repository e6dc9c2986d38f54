package dev.switchboard.transcripts.api;

import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transfers of the caller as the call controller reports them (TransferFailed, CallEnded with reason TRANSFERRED), on the
 * real broker and database: every attempt is kept with its session, in time order, served in the session's JSON and the
 * text export's header, idempotent under redelivery and in any order, and never shown to another tenant.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TransferRecordTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry metrics;

    private static String tenant() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void aRefusalThenATransferThatWentThroughAreBothInTheSessionAndItsTranscript() {
        String acme = tenant();
        Call call = Call.start("transfer");
        SessionEvent refused = call.transferFailed("t-1", "tel:+15550601", CallFailureReason.BUSY, 486, "Busy Here", 20_000);
        SessionEvent transferred = call.transferred("t-2", "sip:billing@pbx.example.com", 45_000);
        Kafka.publish(call.started(call.startedPayload().setTenant(acme).setCallerNumber("+15550600").build()), refused, transferred,
                call.ended(EndReason.TRANSFERRED, 46_000));

        String token = TestTokens.ofTenant(acme);
        JsonPath session = Api.awaitSession(token, call.room(), s -> transfers(s) == 2 && "ended".equals(s.getString("status")));
        assertThat(session.getString("hangup.reason")).isEqualTo("TRANSFERRED");
        Map<String, Object> first = session.getMap("transfers[0]");
        assertThat(first).containsEntry("to", "tel:+15550601").containsEntry("outcome", "BUSY").containsEntry("sipStatusCode", 486)
                .containsEntry("sipStatus", "Busy Here").containsEntry("detail", "the target said BUSY").containsEntry("commandId", "t-1")
                .containsEntry("at", call.startedAt().plusSeconds(20).toString()).doesNotContainKey("eventId");
        assertThat(session.getString("transfers[0].requestedBy.kind")).isEqualTo("LLM");
        Map<String, Object> second = session.getMap("transfers[1]");
        assertThat(second).containsEntry("to", "sip:billing@pbx.example.com").containsEntry("outcome", "TRANSFERRED")
                .containsEntry("commandId", "t-2").doesNotContainKey("sipStatusCode");
        assertThat(session.getString("transfers[1].requestedBy.id")).isEqualTo("ops");

        String text = as(token).get("/v1/sessions/{room}/transcript?format=text", call.room()).then().statusCode(200).extract().asString();
        assertThat(text.lines().toList()).contains(
                "Transfer to tel:+15550601 at " + call.startedAt().plusSeconds(20) + ", not connected: BUSY (SIP 486 Busy Here): the target said BUSY",
                "Transferred to sip:billing@pbx.example.com at " + call.startedAt().plusSeconds(45));
        JsonPath transcript = as(token).accept("application/json").get("/v1/sessions/{room}/transcript", call.room())
                .then().statusCode(200).extract().jsonPath();
        assertThat(transcript.getList("session.transfers.outcome")).containsExactly("BUSY", "TRANSFERRED");

        // Another tenant sees none of it.
        as(TestTokens.ofTenant(tenant())).get("/v1/sessions/{room}", call.room()).then().statusCode(404);

        // Delivered again: the row stays byte for byte as it was.
        List<String> before = Database.sessionRowsOfRoom(dataSource, call.room());
        Kafka.redeliver(metrics, transferred, refused);
        assertThat(Database.sessionRowsOfRoom(dataSource, call.room())).isEqualTo(before);
    }

    @Test
    void attemptsArrivingOutOfOrderAreKeptInTimeOrder() {
        Call call = Call.start("transfer-order");
        Kafka.publish(call.started());
        Api.awaitSession(TestTokens.admin(), call.room(), s -> call.sessionId().equals(s.getString("sessionId")));
        Kafka.publish(call.transferFailed("t-3", "tel:+15550603", CallFailureReason.NO_ANSWER, 480, "Temporarily Unavailable", 30_000),
                call.transferFailed("t-4", "tel:+15550604", CallFailureReason.FAILED, null, null, 10_000));

        JsonPath session = Api.awaitSession(TestTokens.admin(), call.room(), s -> transfers(s) == 2);
        assertThat(session.getList("transfers.commandId")).containsExactly("t-4", "t-3");
        assertThat(session.getList("transfers.outcome")).containsExactly("FAILED", "NO_ANSWER");
        assertThat(session.getString("status")).as("a refused transfer leaves the call going on").isEqualTo("live");
    }

    @Test
    void aSessionWithoutTransfersHasNoTransfersField() {
        Call call = Call.start("transfer-none");
        Kafka.publish(call.started(), call.callEnded(EndReason.AGENT_HANGUP, 5_000));
        JsonPath session = Api.awaitSession(TestTokens.admin(), call.room(), s -> s.getString("hangup.reason") != null);
        assertThat(transfers(session)).isZero();
        assertThat(as(TestTokens.admin()).get("/v1/sessions/{room}", call.room()).then().statusCode(200).extract().asString())
                .doesNotContain("transfers");
    }

    private static int transfers(JsonPath session) {
        List<Object> transfers = session.getList("transfers");
        return transfers == null ? 0 : transfers.size();
    }
}
