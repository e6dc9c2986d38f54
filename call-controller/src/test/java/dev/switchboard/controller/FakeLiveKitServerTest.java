package dev.switchboard.controller;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.livekit.ApiFault;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.controller.livekit.FakeLiveKitPerClass;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.RoomMedia;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fake itself: the JSON flavour of Twirp (the SDK only sends protobuf), LiveKit's error format, its checks of
 * tokens and grants, scripted dials and transfers, the media hook and injected faults.
 */
class FakeLiveKitServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final FakeLiveKitPerClass LIVEKIT = new FakeLiveKitPerClass();

    private static FakeLiveKitServer livekit() {
        return LIVEKIT.server();
    }

    private String token(Map<String, Object> video, String secret) {
        return JWT.create().withIssuer(livekit().apiKey()).withExpiresAt(Date.from(Instant.now().plusSeconds(60)))
                .withClaim("video", video).sign(Algorithm.HMAC256(secret));
    }

    private String token(Map<String, Object> video, Map<String, Object> sip) {
        return JWT.create().withIssuer(livekit().apiKey()).withExpiresAt(Date.from(Instant.now().plusSeconds(60)))
                .withClaim("video", video).withClaim("sip", sip).sign(Algorithm.HMAC256(livekit().apiSecret()));
    }

    private HttpResponse<String> postJson(String method, String json, String token) throws IOException, InterruptedException {
        return postJson("livekit.RoomService", method, json, token);
    }

    private HttpResponse<String> postJson(String service, String method, String json, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(livekit().url() + "/twirp/" + service + "/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersJsonRequestsInJson() throws Exception {
        livekit().room("json-room", FakeLiveKitServer.participant("sip_1", ParticipantInfo.Kind.SIP, Map.of("sip.phoneNumber", "+1555")));
        String admin = token(Map.of("roomAdmin", true, "room", "json-room"), livekit().apiSecret());

        var listed = postJson("ListParticipants", "{\"room\":\"json-room\"}", admin);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(listed.body()).contains("\"identity\": \"sip_1\"", "\"kind\": \"SIP\"", "+1555");

        var deleted = postJson("DeleteRoom", "{\"room\":\"json-room\"}", token(Map.of("roomCreate", true), livekit().apiSecret()));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(livekit().hasRoom("json-room")).isFalse();
        assertThat(livekit().requestsFor("json-room")).extracting(FakeLiveKitServer.RecordedRequest::contentType).allMatch(t -> t.startsWith("application/json"));
    }

    @Test
    void unknownRoomsAreTwirpNotFound() throws Exception {
        var response = postJson("DeleteRoom", "{\"room\":\"nowhere\"}", token(Map.of("roomCreate", true), livekit().apiSecret()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"code\":\"not_found\",\"msg\":\"requested room does not exist\"}");
    }

    @Test
    void refusesMissingBadOrInsufficientTokensWith401() throws Exception {
        livekit().room("guarded");
        assertThat(postJson("DeleteRoom", "{\"room\":\"guarded\"}", null).statusCode()).isEqualTo(401);
        assertThat(postJson("DeleteRoom", "{\"room\":\"guarded\"}", token(Map.of("roomCreate", true), "wrong-secret-wrong-secret-wrong")).statusCode()).isEqualTo(401);
        // DeleteRoom needs roomCreate; roomAdmin is not enough.
        var wrongGrant = postJson("DeleteRoom", "{\"room\":\"guarded\"}", token(Map.of("roomAdmin", true, "room", "guarded"), livekit().apiSecret()));
        assertThat(wrongGrant.statusCode()).isEqualTo(401);
        assertThat(wrongGrant.body()).contains("\"code\":\"unauthenticated\"", "roomCreate");
        // RemoveParticipant needs roomAdmin for that very room.
        var otherRoom = postJson("RemoveParticipant", "{\"room\":\"guarded\",\"identity\":\"x\"}", token(Map.of("roomAdmin", true, "room", "elsewhere"), livekit().apiSecret()));
        assertThat(otherRoom.statusCode()).isEqualTo(401);
        assertThat(livekit().hasRoom("guarded")).isTrue();
        assertThat(livekit().requestsFor("guarded")).noneMatch(FakeLiveKitServer.RecordedRequest::authorized);
    }

    @Test
    void scriptedFailuresComeFirst() throws Exception {
        livekit().room("flaky").failNext("DeleteRoom", 2, 503);
        String create = token(Map.of("roomCreate", true), livekit().apiSecret());
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).body()).contains("\"code\":\"unavailable\"");
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).statusCode()).isEqualTo(503);
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> dial(String room, String number, String extra) throws IOException, InterruptedException {
        return postJson("livekit.SIP", "CreateSIPParticipant", "{\"sipTrunkId\":\"" + FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK
                + "\",\"sipCallTo\":\"" + number + "\",\"roomName\":\"" + room + "\",\"waitUntilAnswered\":true" + extra + "}",
                token(Map.of(), Map.of("call", true)));
    }

    @Test
    void anAnsweredDialPutsAnActiveSipParticipantInTheRoom() throws Exception {
        var answered = dial("dial-room", "+15550101", ",\"participantIdentity\":\"callee\",\"sipNumber\":\"+15550000\"");

        assertThat(answered.statusCode()).isEqualTo(200);
        JsonNode info = JSON.readTree(answered.body());
        assertThat(info.path("participantIdentity").asText()).isEqualTo("callee");
        assertThat(info.path("roomName").asText()).isEqualTo("dial-room");
        assertThat(info.path("sipCallId").asText()).startsWith("SCL_");
        assertThat(livekit().findParticipant("dial-room", "callee")).hasValueSatisfying(p -> {
            assertThat(p.getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
            assertThat(p.getAttributesMap()).containsEntry("sip.callStatus", "active").containsEntry("sip.phoneNumber", "+15550101")
                    .containsEntry("sip.trunkPhoneNumber", "+15550000").containsEntry("sip.callID", info.path("sipCallId").asText());
        });
        var recorded = livekit().requests(FakeLiveKitServer.CREATE_SIP_PARTICIPANT, "dial-room").getFirst();
        assertThat(recorded.sip()).containsEntry("call", true);
        assertThat(recorded.body(CreateSIPParticipantRequest.class).getWaitUntilAnswered()).isTrue();
    }

    @Test
    void aBusyCalleeIsLiveKitsTwirpErrorWithTheSipStatusInMeta() throws Exception {
        livekit().dialOutcome("+15550102", DialOutcome.busy());

        var busy = dial("busy-room", "+15550102", "");

        // LiveKit maps SIP 486 to gRPC ResourceExhausted, which Twirp sends as 429.
        assertThat(busy.statusCode()).isEqualTo(429);
        JsonNode error = JSON.readTree(busy.body());
        assertThat(error.path("code").asText()).isEqualTo("resource_exhausted");
        assertThat(error.path("msg").asText()).isEqualTo("twirp error unknown: INVITE failed: sip status: 486: Busy Here");
        assertThat(error.path("meta").path("sip_status_code").asText()).isEqualTo("486");
        assertThat(error.path("meta").path("sip_status").asText()).isEqualTo("Busy Here");
        assertThat(livekit().participants("busy-room")).isEmpty();
    }

    @Test
    void aDialHeldUntilReleasedRingsUntilTheTestReleasesItThenTheLineIsBusy() throws Exception {
        CompletableFuture<Void> release = new CompletableFuture<>();
        livekit().dialOutcome("+15550106", DialOutcome.busyWhenReleased(release));
        CompletableFuture<HttpResponse<String>> dialled = CompletableFuture.supplyAsync(() -> {
            try {
                return dial("held-room", "+15550106", ",\"ringingTimeout\":\"20s\"");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (livekit().participants("held-room").isEmpty()) {
            assertThat(System.nanoTime()).as("the callee rings in the room").isLessThan(deadline);
            Thread.sleep(10);
        }
        Thread.sleep(300);
        assertThat(dialled).as("still ringing: not released yet").isNotDone();

        release.complete(null);
        var busy = dialled.get(5, TimeUnit.SECONDS);
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(busy.body()).path("meta").path("sip_status_code").asText()).isEqualTo("486");
        assertThat(livekit().participants("held-room")).isEmpty();
    }

    @Test
    void nobodyAnsweringIsLiveKitsRingingTimeoutAfterTheRequestsRingingTimeout() throws Exception {
        livekit().dialOutcome("+15550103", DialOutcome.ringingTimeout());

        long start = System.nanoTime();
        var timedOut = dial("silent-room", "+15550103", ",\"ringingTimeout\":\"0.3s\"");

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(timedOut.statusCode()).isEqualTo(408);
        assertThat(timedOut.body()).isEqualTo("{\"code\":\"canceled\",\"msg\":\"twirp error unknown: sip request timed out\"}");
    }

    @Test
    void anAnswerSlowerThanTheRingingTimeoutIsTheRingingTimeout() throws Exception {
        livekit().dialOutcome("+15550104", DialOutcome.answerAfter(Duration.ofSeconds(5)));

        assertThat(dial("slow-room", "+15550104", ",\"ringingTimeout\":\"0.2s\"").statusCode()).isEqualTo(408);
    }

    @Test
    void deletingTheRoomWhileThePhoneRingsEndsTheDial() throws Exception {
        livekit().dialOutcome("+15550105", DialOutcome.answerAfter(Duration.ofSeconds(10)));
        var ringing = Thread.ofVirtual().start(() -> {
            try {
                assertThat(dial("hangup-room", "+15550105", ",\"ringingTimeout\":\"20s\"").body()).contains("sip request timed out");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        long start = System.nanoTime();
        while (livekit().participants("hangup-room").isEmpty()) {
            Thread.sleep(10);
        }
        assertThat(postJson("DeleteRoom", "{\"room\":\"hangup-room\"}", token(Map.of("roomCreate", true), livekit().apiSecret())).statusCode()).isEqualTo(200);
        ringing.join(Duration.ofSeconds(5));
        assertThat(ringing.isAlive()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void sipAndDispatchMethodsCheckLiveKitsGrants() throws Exception {
        // CreateSIPParticipant needs sip.call; a room grant is not enough.
        var noSip = postJson("livekit.SIP", "CreateSIPParticipant", "{\"sipTrunkId\":\"ST_x\",\"sipCallTo\":\"+1555\",\"roomName\":\"g\"}",
                token(Map.of("roomAdmin", true, "room", "g"), livekit().apiSecret()));
        assertThat(noSip.statusCode()).isEqualTo(401);
        assertThat(noSip.body()).contains("sip.call");
        // TransferSIPParticipant needs sip.call and roomAdmin for the room.
        var noAdmin = postJson("livekit.SIP", "TransferSIPParticipant", "{\"roomName\":\"g\",\"participantIdentity\":\"p\",\"transferTo\":\"tel:+1\"}",
                token(Map.of(), Map.of("call", true)));
        assertThat(noAdmin.statusCode()).isEqualTo(401);
        assertThat(noAdmin.body()).contains("roomAdmin");
        // CreateDispatch needs roomAdmin for that room.
        var otherRoom = postJson("livekit.AgentDispatchService", "CreateDispatch", "{\"room\":\"g\",\"agentName\":\"a\"}",
                token(Map.of("roomAdmin", true, "room", "elsewhere"), livekit().apiSecret()));
        assertThat(otherRoom.statusCode()).isEqualTo(401);
        assertThat(livekit().hasRoom("g")).isFalse();
        // An unknown trunk is LiveKit's 404.
        var unknownTrunk = postJson("livekit.SIP", "CreateSIPParticipant", "{\"sipTrunkId\":\"ST_nope\",\"sipCallTo\":\"+1555\",\"roomName\":\"g\"}",
                token(Map.of(), Map.of("call", true)));
        assertThat(unknownTrunk.statusCode()).isEqualTo(404);
        assertThat(unknownTrunk.body()).contains("requested sip trunk does not exist");
    }

    @Test
    void theMediaHookSeesDispatchesAnsweredCallsAndTransfers() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        livekit().media(new RoomMedia() {
            @Override
            public void sipParticipantJoined(String room, String identity, String phoneNumber, Map<String, String> attributes) {
                seen.add("joined " + room + " " + identity + " " + phoneNumber + " " + attributes.get("sip.callStatus"));
            }

            @Override
            public void agentDispatched(String room, String agentName, String metadata) {
                seen.add("dispatched " + room + " " + agentName + " " + metadata);
            }

            @Override
            public void participantLeft(String room, String identity, DisconnectReason reason) {
                seen.add("left " + room + " " + identity + " " + reason);
            }
        });
        livekit().refuseTransfersTo("tel:+15559999", 603, "Decline");

        var dispatched = postJson("livekit.AgentDispatchService", "CreateDispatch",
                "{\"room\":\"media-room\",\"agentName\":\"agent-x\",\"metadata\":\"{}\"}",
                token(Map.of("roomAdmin", true, "room", "media-room"), livekit().apiSecret()));
        assertThat(dispatched.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(dispatched.body()).path("id").asText()).startsWith("AD_");
        assertThat(dial("media-room", "+15550106", ",\"participantIdentity\":\"callee\"").statusCode()).isEqualTo(200);
        String transferGrant = token(Map.of("roomAdmin", true, "room", "media-room"), Map.of("call", true));
        var refused = postJson("livekit.SIP", "TransferSIPParticipant",
                "{\"roomName\":\"media-room\",\"participantIdentity\":\"callee\",\"transferTo\":\"tel:+15559999\"}", transferGrant);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).path("meta").path("sip_status_code").asText()).isEqualTo("603");
        var transferred = postJson("livekit.SIP", "TransferSIPParticipant",
                "{\"roomName\":\"media-room\",\"participantIdentity\":\"callee\",\"transferTo\":\"tel:+15558888\"}", transferGrant);
        assertThat(transferred.statusCode()).isEqualTo(200);

        assertThat(seen).containsExactly(
                "dispatched media-room agent-x {}",
                "joined media-room callee +15550106 active",
                "left media-room callee CLIENT_INITIATED");
        assertThat(livekit().participants("media-room")).isEmpty();
        assertThat(livekit().dispatches("media-room")).extracting(d -> d.getAgentName()).containsExactly("agent-x");
    }

    @Test
    void randomFaultsAreReproducibleAndCounted() throws Exception {
        String create = token(Map.of("roomCreate", true), livekit().apiSecret());
        livekit().randomFaults("DeleteRoom", 0.5, 42, new ApiFault.HttpError(500), new ApiFault.HttpError(503));
        List<Integer> first = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            first.add(postJson("DeleteRoom", "{\"room\":\"f" + i + "\"}", create).statusCode());
        }
        Map<String, Integer> injected = livekit().faultsInjected();
        livekit().randomFaults("DeleteRoom", 0.5, 42, new ApiFault.HttpError(500), new ApiFault.HttpError(503));
        List<Integer> second = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            second.add(postJson("DeleteRoom", "{\"room\":\"f" + i + "\"}", create).statusCode());
        }
        assertThat(second).isEqualTo(first);
        assertThat(first).contains(404).containsAnyOf(500, 503);
        assertThat(injected.values().stream().mapToInt(Integer::intValue).sum())
                .isEqualTo((int) first.stream().filter(status -> status >= 500).count());
    }
}
