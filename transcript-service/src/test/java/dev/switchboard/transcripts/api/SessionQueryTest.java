package dev.switchboard.transcripts.api;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Filters, sorts and cursor pagination of GET /v1/sessions, over four calls in an hour of their own. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SessionQueryTest {
    private Instant hour;
    private Call a;
    private Call b;
    private Call c;
    private Call d;

    @BeforeEach
    void fourCalls() {
        if (hour != null) {
            return;
        }
        hour = Instant.parse("2022-06-01T00:00:00Z").plus(Duration.ofHours(ThreadLocalRandom.current().nextInt(20_000)));
        a = Call.startedAt("qa", hour.plusSeconds(60));
        b = Call.startedAt("qb", hour.plusSeconds(120));
        c = Call.startedAt("qc", hour.plusSeconds(180));
        d = Call.startedAt("qd", hour.plusSeconds(240));
        Kafka.publish(a.started(a.startedPayload().setAgentName("billing").setCallerNumber("+14155550101").build()),
                b.started(b.startedPayload().setAgentName("sales").setDirection(CallDirection.OUTBOUND).setCalleeNumber("+14155550202").build()),
                c.started(c.startedPayload().setAgentName("billing").setCallerNumber("+14155550303").build()),
                d.started(d.startedPayload().setAgentName("billing").setDirection(CallDirection.WEB).build()));
        Kafka.publish(a.caller(0, "I have a question about my invoice.", 100, 900), a.agent(1, "Sure.", 1000, 1400),
                b.agent(0, "Would you like to upgrade?", 100, 900),
                d.caller(0, "The invoice is overdue.", 100, 900));
        Kafka.publish(a.ended(EndReason.AGENT_HANGUP, 60_000), b.ended(EndReason.CALLER_HANGUP, 300_000), d.ended(EndReason.MAX_DURATION, 10_000));
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rooms(window().queryParam("status", "ended")).size() == 3
                && rooms(window().queryParam("hasText", "true")).size() == 3 && rooms(window()).size() == 4);
    }

    @Test
    void newestFirstByDefaultAndOtherSorts() {
        assertThat(rooms(window())).containsExactly(d.room(), c.room(), b.room(), a.room());
        assertThat(rooms(window().queryParam("sort", "startedAt"))).containsExactly(a.room(), b.room(), c.room(), d.room());
        assertThat(rooms(window().queryParam("sort", "-duration"))).containsExactly(b.room(), a.room(), d.room(), c.room());
        assertThat(rooms(window().queryParam("sort", "duration"))).containsExactly(c.room(), d.room(), a.room(), b.room());
        JsonPath page = window().get("/v1/sessions").then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("sessions[3].startedAt")).isEqualTo(a.startedAt().toString());
        assertThat(page.getString("sessions[3].endedAt")).isEqualTo(a.startedAt().plusSeconds(60).toString());
        assertThat(page.getString("sessions[3].endReason")).isEqualTo("AGENT_HANGUP");
        assertThat(page.getString("sessions[1].status")).isEqualTo("live");
    }

    @Test
    void filters() {
        assertThat(rooms(window().queryParam("agent", "billing"))).containsExactly(d.room(), c.room(), a.room());
        assertThat(rooms(window().queryParam("phone", "+1 (415) 555-0101"))).containsExactly(a.room());
        assertThat(rooms(window().queryParam("phone", "14155550202"))).containsExactly(b.room());
        assertThat(rooms(window().queryParam("endReason", "caller_hangup"))).containsExactly(b.room());
        assertThat(rooms(window().queryParam("direction", "OUTBOUND"))).containsExactly(b.room());
        assertThat(rooms(window().queryParam("hasText", "false"))).containsExactly(c.room());
        assertThat(rooms(window().queryParam("hasText", "true"))).containsExactly(d.room(), b.room(), a.room());
        assertThat(rooms(window().queryParam("text", "invoices"))).containsExactly(d.room(), a.room());
        assertThat(rooms(window().queryParam("status", "live"))).containsExactly(c.room());
        assertThat(rooms(RestAssured.given().queryParam("from", hour.plusSeconds(150).toString())
                .queryParam("to", hour.plusSeconds(200).toString()))).containsExactly(c.room());
    }

    @Test
    void cursorsWalkThroughEveryPageOnce() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            RequestSpecification request = window().queryParam("limit", 1).queryParam("sort", "-duration");
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/sessions").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("sessions.room", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(seen).containsExactly(b.room(), a.room(), d.room(), c.room());
        assertThat(pages).isEqualTo(4);

        String first = window().queryParam("limit", 1).get("/v1/sessions").then().statusCode(200).extract().jsonPath().getString("nextCursor");
        Api.assertProblem(window().queryParam("cursor", first).queryParam("sort", "duration").get("/v1/sessions"), 400,
                "cursor: it was made for sort=-startedAt");
        Api.assertProblem(window().queryParam("cursor", "garbage!").get("/v1/sessions"), 400, "cursor: not a cursor this service issued");
    }

    @Test
    void oneSessionWithItsDetails() {
        JsonPath session = RestAssured.get("/v1/sessions/{room}", a.room()).then().statusCode(200).extract().jsonPath();
        assertThat(session.getString("sessionId")).isEqualTo(a.sessionId());
        assertThat(session.getLong("segmentCount")).isEqualTo(2);
        assertThat(session.getString("callerNumber")).isEqualTo("+14155550101");
        assertThat(session.getString("direction")).isEqualTo("INBOUND");
        assertThat(session.getString("transport")).isEqualTo("SIMULATED");
        assertThat(session.getLong("durationMs")).isEqualTo(60_000);
        assertThat(session.getString("endedBy.id")).isEqualTo("worker-1");
    }

    @Test
    void badParametersAreProblems() {
        Api.assertProblem(RestAssured.given().queryParam("from", "yesterday").get("/v1/sessions"), 400, "from: not an ISO-8601 instant");
        Api.assertProblem(RestAssured.given().queryParam("limit", "0").get("/v1/sessions"), 400, "limit: a whole number from 1 to 200");
        Api.assertProblem(RestAssured.given().queryParam("sort", "room").get("/v1/sessions"), 400, "sort: one of -startedAt, startedAt");
        Api.assertProblem(RestAssured.given().queryParam("endReason", "BORED").get("/v1/sessions"), 400, "endReason: one of CALLER_HANGUP");
        Api.assertProblem(RestAssured.given().queryParam("hasText", "maybe").get("/v1/sessions"), 400, "hasText: true or false");
        Api.assertProblem(RestAssured.given().queryParam("phone", "call me").get("/v1/sessions"), 400, "phone: a phone number");
        Api.assertProblem(RestAssured.given().queryParam("status", "paused").get("/v1/sessions"), 400, "status: live or ended");
    }

    private RequestSpecification window() {
        return RestAssured.given().queryParam("from", hour.toString()).queryParam("to", hour.plusSeconds(3600).toString());
    }

    private static List<String> rooms(RequestSpecification request) {
        return request.get("/v1/sessions").then().statusCode(200).extract().jsonPath().getList("sessions.room", String.class);
    }
}
