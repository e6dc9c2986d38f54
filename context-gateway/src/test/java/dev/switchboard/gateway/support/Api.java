package dev.switchboard.gateway.support;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The gateway's HTTP API, as the tests call it. */
public final class Api {
    private Api() {
    }

    public static String newRoom(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** POST /v1/sessions/{room}/{command} with a JSON body (null for none). */
    public static ValidatableResponse post(String room, String command, Object body) {
        return post(given(), room, command, body);
    }

    public static ValidatableResponse post(RequestSpecification request, String room, String command, Object body) {
        RequestSpecification spec = request.contentType(ContentType.JSON);
        if (body != null) {
            spec = spec.body(body);
        }
        return spec.post("/v1/sessions/{room}/" + command, room).then();
    }

    public static ValidatableResponse session(String room) {
        return given().get("/v1/sessions/{room}", room).then();
    }

    public static ValidatableResponse command(String commandId) {
        return given().get("/v1/commands/{id}", commandId).then();
    }

    /** Waits until the gateway's registry shows the room's latest session in the given state. */
    public static void awaitSession(String room, String sessionId, String state) {
        Awaitility.await("session " + sessionId + " of " + room + " is " + state)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    var body = given().get("/v1/sessions/{room}", room).then().extract();
                    return body.statusCode() == 200 && sessionId.equals(body.path("sessionId")) && state.equals(body.path("state"));
                });
    }

    /** Waits until GET /v1/commands/{id} shows the status. */
    public static void awaitCommandStatus(String commandId, String status) {
        Awaitility.await("command " + commandId + " is " + status)
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> status.equals(given().get("/v1/commands/{id}", commandId).then().extract().path("status")));
    }

    /** Waits until the gateway is ready (it has read the session events that existed when it started). */
    public static void awaitReady() {
        Awaitility.await("gateway ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().get("/q/health/ready").then().extract().statusCode() == 200);
    }
}
