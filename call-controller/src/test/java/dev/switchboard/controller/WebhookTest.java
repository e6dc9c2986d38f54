package dev.switchboard.controller;

import com.google.protobuf.util.JsonFormat;
import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.DisconnectReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.ParticipantLeft;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import livekit.LivekitModels;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * LiveKit webhooks: signature checks, refusal of stale and replayed deliveries, mapping to session events,
 * de-duplication, and one CallEnded per call.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class WebhookTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    private TopicProbe<SessionEvent> events;

    @BeforeEach
    void openProbe() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
    }

    @AfterEach
    void closeProbe() {
        livekit.reset();
        events.close();
    }

    private SignedWebhooks.Delivery signed(WebhookEvent event) {
        return SignedWebhooks.sign(event, livekit.apiKey(), livekit.apiSecret());
    }

    private static ValidatableResponse post(SignedWebhooks.Delivery delivery) {
        return post(delivery.body(), delivery.authorization());
    }

    private static ValidatableResponse post(byte[] body, String authorization) {
        var request = RestAssured.given().contentType("application/webhook+json").body(body);
        if (authorization != null) {
            request.header("Authorization", authorization);
        } else {
            request.filter(TestTokens.withoutToken()); // LiveKit's deliveries carry no bearer token of ours
        }
        return request.post("/livekit/webhook").then();
    }

    /** The controller's webhook counter for that event and outcome, as Prometheus scrapes it. */
    private static double counted(String event, String outcome) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(line -> line.startsWith("switchboard_controller_webhooks_total{"))
                .filter(line -> line.contains("event=\"" + event + "\"") && line.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private <P> P awaitPayload(String room, Class<P> type) {
        return type.cast(awaitEvent(room, type).value().getPayload());
    }

    private ConsumerRecord<String, SessionEvent> awaitEvent(String room, Class<?> type) {
        return events.awaitRecord(r -> room.equals(r.key()) && type.isInstance(r.value().getPayload()), WAIT);
    }

    private static ParticipantInfo sipCaller(LivekitModels.DisconnectReason reason) {
        return FakeLiveKitServer.participant("sip_+15550100", ParticipantInfo.Kind.SIP,
                        Map.of("sip.phoneNumber", "+15550100", "sip.callID", "SCL_1", "sip.callStatus", "active"))
                .toBuilder().setName("Ada").setDisconnectReason(reason).build();
    }

    @Test
    void participantEventsAndTheRoomsEndBecomeSessionEvents() {
        String room = CallControlRequests.room("webhook");

        post(signed(SignedWebhooks.event("participant_joined", room)
                .setParticipant(sipCaller(LivekitModels.DisconnectReason.UNKNOWN_REASON)).build()))
                .statusCode(200).body("result", equalTo("PUBLISHED"));
        ConsumerRecord<String, SessionEvent> joinedRecord = awaitEvent(room, ParticipantJoined.class);
        ParticipantJoined joined = (ParticipantJoined) joinedRecord.value().getPayload();
        assertThat(joined.getIdentity()).isEqualTo("sip_+15550100");
        assertThat(joined.getName()).isEqualTo("Ada");
        assertThat(joined.getKind()).isEqualTo(ParticipantKind.SIP);
        assertThat(joined.getPhoneNumber()).isEqualTo("+15550100");
        assertThat(joined.getAttributes()).containsEntry("sip.callID", "SCL_1").containsEntry("sip.callStatus", "active");
        assertThat(joinedRecord.value().getSource()).isEqualTo("call-controller");

        post(signed(SignedWebhooks.event("participant_left", room)
                .setParticipant(sipCaller(LivekitModels.DisconnectReason.CLIENT_INITIATED)).build()))
                .statusCode(200).body("result", equalTo("PUBLISHED"));
        ParticipantLeft left = awaitPayload(room, ParticipantLeft.class);
        assertThat(left.getIdentity()).isEqualTo("sip_+15550100");
        assertThat(left.getKind()).isEqualTo(ParticipantKind.SIP);
        assertThat(left.getDisconnectReason()).isEqualTo(DisconnectReason.CLIENT_INITIATED);

        post(signed(SignedWebhooks.event("room_finished", room).build())).statusCode(200).body("result", equalTo("PUBLISHED"));
        CallEnded ended = awaitPayload(room, CallEnded.class);
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.OBSERVED);
        assertThat(ended.getReason()).isEqualTo(EndReason.CALLER_HANGUP);
        assertThat(ended.getEndedBy().getKind()).isEqualTo(IssuerKind.CALLER);
        assertThat(ended.getEndedBy().getId()).isEqualTo("sip_+15550100");
        assertThat(ended.getHangupCommandId()).isNull();
    }

    @Test
    void theDialsDetailsACalleeCarriesAreNotRepeatedInParticipantJoined() {
        // Dialled without an agent name, the callee carries the dial's details for the automatically dispatched agent.
        String room = CallControlRequests.room("webhook-dial-details");
        ParticipantInfo callee = FakeLiveKitServer.participant("sip_+15550100", ParticipantInfo.Kind.SIP, Map.of(
                "sip.phoneNumber", "+15550100", "sip.callStatus", "active", "switchboard.dialCommandId", "cmd-7",
                "switchboard.dial", "{\"direction\":\"OUTBOUND\",\"instructions\":\"Remind the customer.\"}"));

        post(signed(SignedWebhooks.event("participant_joined", room).setParticipant(callee).build()))
                .statusCode(200).body("result", equalTo("PUBLISHED"));

        ParticipantJoined joined = awaitPayload(room, ParticipantJoined.class);
        assertThat(joined.getAttributes()).containsOnlyKeys("sip.phoneNumber", "sip.callStatus", "switchboard.dialCommandId");
        assertThat(joined.getPhoneNumber()).isEqualTo("+15550100");
    }

    @Test
    void aRoomThatFinishesWithoutAKnownCauseIsRoomClosed() {
        String room = CallControlRequests.room("closed");

        post(signed(SignedWebhooks.event("room_finished", room).build())).statusCode(200);

        CallEnded ended = awaitPayload(room, CallEnded.class);
        assertThat(ended.getReason()).isEqualTo(EndReason.ROOM_CLOSED);
        assertThat(ended.getMethod()).isEqualTo(HangupMethod.OBSERVED);
        assertThat(ended.getEndedBy()).isNull();
    }

    @Test
    void theRoomFinishedOfACallTheControllerHungUpIsNotASecondEnd() {
        String room = CallControlRequests.room("hung-up");
        livekit.room(room, FakeLiveKitServer.participant("agent-1", ParticipantInfo.Kind.AGENT, Map.of()));
        TestProducer.send(Topic.CALL_CONTROL, room, request(room, hangup(Transport.LIVEKIT).build()));
        assertThat(awaitPayload(room, CallEnded.class).getMethod()).isEqualTo(HangupMethod.DELETE_ROOM);

        post(signed(SignedWebhooks.event("room_finished", room).build())).statusCode(200).body("result", equalTo("SUPPRESSED"));

        assertThat(events.drain(Duration.ofMillis(300)).stream().filter(e -> room.equals(e.getRoom()))).singleElement();
    }

    @Test
    void aRepeatedDeliveryPublishesOneEvent() {
        String room = CallControlRequests.room("retried");
        SignedWebhooks.Delivery delivery = signed(SignedWebhooks.event("participant_joined", room)
                .setParticipant(FakeLiveKitServer.participant("web-user", ParticipantInfo.Kind.STANDARD, Map.of())).build());

        post(delivery).statusCode(200).body("result", equalTo("PUBLISHED"));
        post(delivery).statusCode(200).body("result", equalTo("DUPLICATE"));

        assertThat(awaitPayload(room, ParticipantJoined.class).getKind()).isEqualTo(ParticipantKind.STANDARD);
        assertThat(events.drain(Duration.ofMillis(300)).stream().filter(e -> room.equals(e.getRoom()))).hasSize(1);
    }

    @Test
    void aReplayedRoomFinishedIsAnswered200ButEndsTheCallOnce() {
        String room = CallControlRequests.room("replay-end");
        WebhookEvent finished = SignedWebhooks.event("room_finished", room).build();
        double duplicatesBefore = counted("room_finished", "duplicate");

        post(signed(finished)).statusCode(200).body("result", equalTo("PUBLISHED"));
        assertThat(awaitPayload(room, CallEnded.class).getMethod()).isEqualTo(HangupMethod.OBSERVED);
        // The same event under a new, valid signature (as a later LiveKit retry or whoever holds the secret sends it).
        post(signed(finished)).statusCode(200).body("result", equalTo("DUPLICATE"), "id", equalTo(finished.getId()));
        post(signed(finished)).statusCode(200).body("result", equalTo("DUPLICATE"));

        assertThat(events.drain(Duration.ofMillis(300)).stream().filter(e -> room.equals(e.getRoom())))
                .singleElement().satisfies(e -> assertThat(e.getPayload()).isInstanceOf(CallEnded.class));
        assertThat(counted("room_finished", "duplicate") - duplicatesBefore).isEqualTo(2.0);
    }

    @Test
    void deliveriesWithoutAValidSignatureAreRefusedWith401() {
        String room = CallControlRequests.room("forged");
        WebhookEvent event = SignedWebhooks.event("room_finished", room).build();
        SignedWebhooks.Delivery genuine = signed(event);
        double refusedBefore = counted("unverified", "rejected");

        post(SignedWebhooks.sign(genuine.body(), livekit.apiKey(), "a-secret-that-is-not-the-api-secret"))
                .statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", nullValue()) // LiveKit's signature, not a bearer token, is what is missing
                .body("type", equalTo("urn:switchboard:problem:invalid-webhook-signature"), "title", equalTo("Invalid webhook signature"))
                .body("status", equalTo(401), "instance", equalTo("/livekit/webhook"))
                .body("detail", containsString("invalid webhook signature"));
        post(SignedWebhooks.sign(genuine.body(), "another-key", livekit.apiSecret())).statusCode(401);
        byte[] tampered = new String(genuine.body(), StandardCharsets.UTF_8).replace(room, room + "-x").getBytes(StandardCharsets.UTF_8);
        post(tampered, genuine.authorization()).statusCode(401).body("detail", containsString("sha256"));
        post(genuine.body(), null).statusCode(401).contentType("application/problem+json").header("WWW-Authenticate", nullValue())
                .body("type", equalTo("urn:switchboard:problem:invalid-webhook-signature"), "detail", containsString("missing Authorization"));

        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> e.getRoom().startsWith(room));
        assertThat(counted("unverified", "rejected") - refusedBefore).isEqualTo(4.0);
    }

    @Test
    void staleFutureAndExpiredDeliveriesAreRefusedWith401SoACapturedOneCannotBeReplayed() throws Exception {
        String room = CallControlRequests.room("replayed");
        long now = Instant.now().getEpochSecond();
        double staleBefore = counted("room_finished", "stale");
        double rejectedBefore = counted("unverified", "rejected");

        WebhookEvent stale = SignedWebhooks.event("room_finished", room).setCreatedAt(now - Duration.ofMinutes(10).toSeconds()).build();
        post(signed(stale)).statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", nullValue())
                .body("type", equalTo("urn:switchboard:problem:stale-webhook"), "title", equalTo("Stale webhook"))
                .body("status", equalTo(401), "detail", containsString("stale webhook"));
        WebhookEvent future = SignedWebhooks.event("room_finished", room).setCreatedAt(now + Duration.ofMinutes(10).toSeconds()).build();
        post(signed(future)).statusCode(401).body("detail", containsString("in the future"));
        WebhookEvent undated = SignedWebhooks.event("room_finished", room).clearCreatedAt().build();
        post(signed(undated)).statusCode(401).body("detail", containsString("no createdAt"));
        WebhookEvent anonymous = SignedWebhooks.event("room_finished", room).clearId().build();
        post(signed(anonymous)).statusCode(401).body("type", equalTo("urn:switchboard:problem:stale-webhook"), "detail", containsString("no id"));

        byte[] fresh = JsonFormat.printer().print(SignedWebhooks.event("room_finished", room).build()).getBytes(StandardCharsets.UTF_8);
        post(SignedWebhooks.sign(fresh, livekit.apiKey(), livekit.apiSecret(), Instant.now().minus(Duration.ofMinutes(2))))
                .statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:switchboard:problem:invalid-webhook-signature"), "detail", containsString("expired"));
        post(SignedWebhooks.sign(fresh, livekit.apiKey(), livekit.apiSecret(), Instant.now().minusSeconds(60), null))
                .statusCode(401).body("detail", containsString("exp"));
        post(SignedWebhooks.sign(fresh, livekit.apiKey(), livekit.apiSecret(), Instant.now().plus(Duration.ofMinutes(2)),
                Instant.now().plus(Duration.ofMinutes(7))))
                .statusCode(401).body("detail", containsString("invalid webhook signature"));

        assertThat(events.drain(Duration.ofMillis(300))).noneMatch(e -> e.getRoom().startsWith(room));
        assertThat(counted("room_finished", "stale") - staleBefore).isEqualTo(4.0);
        assertThat(counted("unverified", "rejected") - rejectedBefore).isEqualTo(3.0);
    }

    @Test
    void aFreshDeliveryWithinTheClockSkewIsAccepted() throws Exception {
        // LiveKit's clock may run a little ahead of or behind ours: seconds of difference refuse nothing.
        String room = CallControlRequests.room("skewed");
        Instant now = Instant.now();
        WebhookEvent joined = SignedWebhooks.event("participant_joined", room).setCreatedAt(now.getEpochSecond() + 10)
                .setParticipant(FakeLiveKitServer.participant("web-user", ParticipantInfo.Kind.STANDARD, Map.of())).build();
        byte[] body = JsonFormat.printer().print(joined).getBytes(StandardCharsets.UTF_8);
        post(SignedWebhooks.sign(body, livekit.apiKey(), livekit.apiSecret(), now.plusSeconds(10), now.plus(Duration.ofMinutes(5))))
                .statusCode(200).body("result", equalTo("PUBLISHED"));
        assertThat(awaitPayload(room, ParticipantJoined.class).getIdentity()).isEqualTo("web-user");

        WebhookEvent finished = SignedWebhooks.event("room_finished", room).setCreatedAt(now.getEpochSecond() - 290).build();
        byte[] late = JsonFormat.printer().print(finished).getBytes(StandardCharsets.UTF_8);
        post(SignedWebhooks.sign(late, livekit.apiKey(), livekit.apiSecret(), now.minusSeconds(10)))
                .statusCode(200).body("result", equalTo("PUBLISHED"));
        assertThat(awaitPayload(room, CallEnded.class).getReason()).isEqualTo(EndReason.ROOM_CLOSED);
    }

    @Test
    void aSignedBodyThatIsNotAWebhookEventIs400() {
        post(SignedWebhooks.sign("{\"event\": 42, \"room\": [}".getBytes(StandardCharsets.UTF_8), livekit.apiKey(), livekit.apiSecret()))
                .statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not a LiveKit WebhookEvent"));
    }

    @Test
    void otherContentTypesAre415ProblemsAndTheEndpointIsDocumented() {
        RestAssured.given().contentType("text/plain").body("hello").post("/livekit/webhook")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415));
        RestAssured.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).body("paths.'/livekit/webhook'.post.responses.'401'.description", containsString("stale event"))
                // LiveKit signs it; it takes no bearer token, and the document says so.
                .body("paths.'/livekit/webhook'.post.security", empty())
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"));
    }

    @Test
    void eventsWithoutASessionMeaningAreAcknowledgedAndIgnored() {
        String room = CallControlRequests.room("started");
        post(signed(SignedWebhooks.event("room_started", room).build())).statusCode(200).body("result", equalTo("IGNORED"));
        post(signed(SignedWebhooks.event("track_published", room).build())).statusCode(200).body("result", equalTo("IGNORED"));
    }

    /** The metric's event tag is LiveKit's name or "other": a signed body cannot add time series nor control characters. */
    @Test
    void eventTypesLiveKitDoesNotSendAreCountedAsOther() {
        String room = CallControlRequests.room("made-up");
        double before = counted("other", "ignored");
        String madeUp = "made_up_" + System.nanoTime();
        post(signed(SignedWebhooks.event(madeUp, room).build())).statusCode(200).body("result", equalTo("IGNORED"));
        post(signed(SignedWebhooks.event("participant_joined\u0000", room).build())).statusCode(200).body("result", equalTo("IGNORED"));

        assertThat(counted("other", "ignored")).isEqualTo(before + 2);
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).doesNotContain(madeUp).doesNotContain("\u0000");
    }
}
