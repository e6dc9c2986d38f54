package dev.switchboard.transcripts.api;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import dev.switchboard.transcripts.support.MadeUpWords;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class SearchTest {

    /** A made-up word no other test uses, so the results are this test's alone. */
    private static String word() {
        return MadeUpWords.endingIn("tion");
    }

    @Test
    void findsWordsAcrossSessionsWithHighlightsAndTheirSessions() {
        String word = word();
        Call first = Call.start("search-a");
        Call second = Call.start("search-b");
        Kafka.publish(first.started(), second.started());
        Kafka.publish(first.caller(0, "I need the " + word + " for my <account> & more.", 100, 900),
                first.agent(1, "Nothing to see here.", 1000, 1500),
                second.agent(0, "Your " + word + " was sent yesterday.", 100, 900));
        Api.awaitTranscriptSize(first.room(), 2);
        Api.awaitTranscriptSize(second.room(), 1);

        JsonPath results = RestAssured.given().queryParam("q", word).get("/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(results.getList("results.session.room", String.class)).containsExactlyInAnyOrder(first.room(), second.room());
        assertThat(results.getList("results.highlight", String.class)).containsExactlyInAnyOrder(
                "I need the <mark>" + word + "</mark> for my &lt;account&gt; &amp; more.",
                "Your <mark>" + word + "</mark> was sent yesterday.");
        assertThat(results.getList("results.segment.speaker", String.class)).containsExactlyInAnyOrder("Caller", "Agent");
        assertThat(results.getString("results[0].session.sessionId")).isIn(first.sessionId(), second.sessionId());
        assertThat(results.getString("config")).isEqualTo("english");

        JsonPath onlyCallers = RestAssured.given().queryParam("q", word).queryParam("role", "user").get("/v1/search").then().statusCode(200).extract().jsonPath();
        assertThat(onlyCallers.getList("results.session.room", String.class)).containsExactly(first.room());
    }

    @Test
    void searchIsStemmedByLanguage() {
        Call english = Call.start("search-en");
        Call german = Call.start("search-de");
        String marker = word();
        Kafka.publish(english.caller(0, marker + " I was refunded twice for the cancelled orders.", 100, 900));
        Kafka.publish(german.line(0, SpeakerRole.USER, marker + " Ich habe zwei Rechnungen bekommen.", 100, 900).setLanguage("de-DE").build());
        Api.awaitTranscriptSize(english.room(), 1);
        Api.awaitTranscriptSize(german.room(), 1);

        assertThat(rooms(RestAssured.given().queryParam("q", "refund cancelling order").queryParam("room", english.room())))
                .containsExactly(english.room());
        assertThat(rooms(RestAssured.given().queryParam("q", "Rechnungen").queryParam("language", "de").queryParam("room", german.room())))
                .containsExactly(german.room());
        // Language-aware: German stemming turns the query's "Rechnungen" into the stored "rechnung"; English does not.
        assertThat(rooms(RestAssured.given().queryParam("q", "Rechnungen").queryParam("room", german.room()))).isEmpty();
        // Web search syntax: phrases and exclusions.
        assertThat(rooms(RestAssured.given().queryParam("q", "\"cancelled orders\"").queryParam("room", english.room())))
                .containsExactly(english.room());
        assertThat(rooms(RestAssured.given().queryParam("q", "\"orders cancelled\"").queryParam("room", english.room()))).isEmpty();
        assertThat(rooms(RestAssured.given().queryParam("q", "refunded -twice").queryParam("room", english.room()))).isEmpty();
        assertThat(rooms(RestAssured.given().queryParam("q", marker + " refunded -thrice"))).containsExactly(english.room());
    }

    @Test
    void aWordIsFoundHoweverItsAccentsWereWritten() {
        String marker = word();
        String decomposed = "cafe\u0301"; // e followed by a combining acute accent
        String composed = "caf\u00e9";
        Call call = Call.start("search-nfc");
        Kafka.publish(call.started());
        Kafka.publish(call.caller(0, marker + " one " + decomposed + " please", 100, 900));
        Api.awaitTranscriptSize(call.room(), 1);

        // Stored composed, and found by a query typed either way.
        assertThat(Api.texts(Api.transcript(call.room()))).containsExactly(marker + " one " + composed + " please");
        for (String typed : List.of(composed, decomposed)) {
            assertThat(rooms(RestAssured.given().queryParam("q", marker + " " + typed))).as(typed).containsExactly(call.room());
            assertThat(RestAssured.given().queryParam("text", marker + " " + typed).get("/v1/sessions").then().statusCode(200)
                    .extract().jsonPath().getList("sessions.room", String.class)).as(typed).containsExactly(call.room());
        }
    }

    @Test
    void resultsArePagedWithACursor() {
        String word = word();
        Call call = Call.start("search-pages");
        for (int i = 0; i < 5; i++) {
            Kafka.publish(call.caller(i, word + " number " + i, i * 1000L, i * 1000L + 500));
        }
        Api.awaitTranscriptSize(call.room(), 5);
        // One word goes straight to the planner; several are first looked for among the newest lines.
        for (String q : List.of(word, word + " number")) {
            assertPagedNewestFirst(q);
        }
    }

    private static void assertPagedNewestFirst(String q) {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var request = RestAssured.given().queryParam("q", q).queryParam("limit", 2);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonPath page = request.get("/v1/search").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("results.segment.text", String.class));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        // newest first
        assertThat(seen.getFirst()).endsWith("number 4");
        assertThat(Set.copyOf(seen)).hasSize(5);
    }

    @Test
    void aQueryIsRequired() {
        Api.assertProblem(RestAssured.get("/v1/search"), 400, "q: required");
        Api.assertProblem(RestAssured.given().queryParam("q", "x").queryParam("language", "klingon").get("/v1/search"), 400,
                "language: no text search configuration for 'klingon'");
        Api.assertProblem(RestAssured.given().queryParam("q", "x").queryParam("cursor", "bm90IGEgY3Vyc29y").get("/v1/search"), 400, "cursor");
    }

    private static List<String> rooms(io.restassured.specification.RequestSpecification request) {
        return request.get("/v1/search").then().statusCode(200).extract().jsonPath().getList("results.session.room", String.class);
    }
}
