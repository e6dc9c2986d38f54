package dev.switchboard.transcripts.redaction;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Database;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** With the default settings a card number never reaches the database, whether written or spoken. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class RedactionIngestTest {
    @Inject
    AgroalDataSource dataSource;

    @Test
    void spokenAndWrittenCardNumbersAreRedactedBeforeTheyAreStored() {
        Call call = Call.start("pii");
        Kafka.publish(call.caller(0, "My card number is four one one one, one one one one, one one one one, one one one one.", 100, 5000),
                call.line(1, SpeakerRole.AGENT, "I have 5500 0000 0000 0004 on file", 5200, 7000).setInterrupted(true)
                        .setGeneratedText("I have 5500 0000 0000 0004 on file, is that right?").build(),
                call.caller(2, "Yes, that is 4111-1111-1111-1111.", 7200, 9000));
        JsonPath transcript = Api.awaitTranscriptSize(call.room(), 3);

        assertThat(Api.texts(transcript)).containsExactly("My card number is [CARD].", "I have [CARD] on file", "Yes, that is [CARD].");
        assertThat(transcript.getString("segments[1].generatedText")).isEqualTo("I have [CARD] on file, is that right?");
        assertThat(transcript.getList("segments[0].redactions", String.class)).containsExactly("card", "spoken-numbers");
        assertThat(transcript.getList("segments[2].redactions", String.class)).containsExactly("card");

        // Nothing of the numbers is anywhere in the database, nor findable.
        assertThat(Database.query(dataSource, "SELECT text, generated_text FROM segments WHERE room = '" + call.room() + "'"))
                .noneMatch(row -> row.contains("4111") || row.contains("5500") || row.contains("four one one one"));
        assertThat(RestAssured.given().queryParam("q", "4111").queryParam("room", call.room()).get("/v1/search")
                .then().statusCode(200).extract().jsonPath().getList("results")).isEmpty();
    }
}
