package dev.switchboard.controller;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import livekit.LivekitModels.ParticipantInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fake itself: the JSON flavour of Twirp (the SDK only sends protobuf) and its checks of tokens and grants. */
class FakeLiveKitServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static FakeLiveKitServer livekit;

    @BeforeAll
    static void start() {
        livekit = new FakeLiveKitServer();
    }

    @AfterAll
    static void stop() {
        livekit.close();
    }

    private String token(Map<String, Object> video, String secret) {
        return JWT.create().withIssuer(livekit.apiKey()).withExpiresAt(Date.from(Instant.now().plusSeconds(60)))
                .withClaim("video", video).sign(Algorithm.HMAC256(secret));
    }

    private HttpResponse<String> postJson(String method, String json, String token) throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(livekit.url() + "/twirp/livekit.RoomService/" + method))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answersJsonRequestsInJson() throws Exception {
        livekit.room("json-room", FakeLiveKitServer.participant("sip_1", ParticipantInfo.Kind.SIP, Map.of("sip.phoneNumber", "+1555")));
        String admin = token(Map.of("roomAdmin", true, "room", "json-room"), livekit.apiSecret());

        var listed = postJson("ListParticipants", "{\"room\":\"json-room\"}", admin);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(listed.body()).contains("\"identity\": \"sip_1\"", "\"kind\": \"SIP\"", "+1555");

        var deleted = postJson("DeleteRoom", "{\"room\":\"json-room\"}", token(Map.of("roomCreate", true), livekit.apiSecret()));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(livekit.hasRoom("json-room")).isFalse();
        assertThat(livekit.requestsFor("json-room")).extracting(FakeLiveKitServer.RecordedRequest::contentType).allMatch(t -> t.startsWith("application/json"));
    }

    @Test
    void unknownRoomsAreTwirpNotFound() throws Exception {
        var response = postJson("DeleteRoom", "{\"room\":\"nowhere\"}", token(Map.of("roomCreate", true), livekit.apiSecret()));
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).isEqualTo("{\"code\":\"not_found\",\"msg\":\"requested room does not exist\"}");
    }

    @Test
    void refusesMissingBadOrInsufficientTokensWith401() throws Exception {
        livekit.room("guarded");
        assertThat(postJson("DeleteRoom", "{\"room\":\"guarded\"}", null).statusCode()).isEqualTo(401);
        assertThat(postJson("DeleteRoom", "{\"room\":\"guarded\"}", token(Map.of("roomCreate", true), "wrong-secret-wrong-secret-wrong")).statusCode()).isEqualTo(401);
        // DeleteRoom needs roomCreate; roomAdmin is not enough.
        var wrongGrant = postJson("DeleteRoom", "{\"room\":\"guarded\"}", token(Map.of("roomAdmin", true, "room", "guarded"), livekit.apiSecret()));
        assertThat(wrongGrant.statusCode()).isEqualTo(401);
        assertThat(wrongGrant.body()).contains("\"code\":\"unauthenticated\"", "roomCreate");
        // RemoveParticipant needs roomAdmin for that very room.
        var otherRoom = postJson("RemoveParticipant", "{\"room\":\"guarded\",\"identity\":\"x\"}", token(Map.of("roomAdmin", true, "room", "elsewhere"), livekit.apiSecret()));
        assertThat(otherRoom.statusCode()).isEqualTo(401);
        assertThat(livekit.hasRoom("guarded")).isTrue();
        assertThat(livekit.requestsFor("guarded")).noneMatch(FakeLiveKitServer.RecordedRequest::authorized);
    }

    @Test
    void scriptedFailuresComeFirst() throws Exception {
        livekit.room("flaky").failNext("DeleteRoom", 2, 503);
        String create = token(Map.of("roomCreate", true), livekit.apiSecret());
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).body()).contains("\"code\":\"unavailable\"");
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).statusCode()).isEqualTo(503);
        assertThat(postJson("DeleteRoom", "{\"room\":\"flaky\"}", create).statusCode()).isEqualTo(200);
    }
}
