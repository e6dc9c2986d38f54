package dev.switchboard.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.http.StrictRequestJson;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProblemDocumentTest {
    private static final ObjectMapper JSON = strict();

    /** The services' mapper: the kit's customizer applied, as Quarkus applies it. */
    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper();
        new StrictRequestJson().customize(mapper);
        return mapper;
    }

    record Body(String role, Boolean respond, Map<String, String> metadata) {
    }

    @Test
    void extensionMembersAreWrittenBesideTheStandardOnes() throws Exception {
        Problem problem = Problem.of(ProblemType.named("command-rejected", "Command rejected", 409), "no", "/v1/x")
                .with("room", "call-1").with("reason", null).with("commandId", "c-1");
        assertThat(JSON.writeValueAsString(problem)).isEqualTo("{\"type\":\"urn:switchboard:problem:command-rejected\","
                + "\"title\":\"Command rejected\",\"status\":409,\"detail\":\"no\",\"instance\":\"/v1/x\","
                + "\"room\":\"call-1\",\"commandId\":\"c-1\"}");
    }

    @Test
    void aBareStatusIsAboutBlankWithItsReasonPhraseExceptInvalidRequests() {
        assertThat(ProblemType.of(404)).isEqualTo(new ProblemType("about:blank", "Not Found", 404));
        assertThat(ProblemType.of(405).title()).isEqualTo("Method Not Allowed");
        assertThat(ProblemType.of(400)).isSameAs(ProblemType.INVALID_REQUEST);
        assertThatThrownBy(() -> ProblemType.of(200)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jsonMistakesNameTheField() {
        assertThat(describe("{\"role\": \"system\", \"respond\": \"maybe\"}")).isEqualTo("respond must be true or false");
        assertThat(describe("{\"role\": {\"a\": 1}}")).isEqualTo("role must be a string");
        assertThat(describe("{\"metadata\": [1]}")).isEqualTo("metadata must be a JSON object");
        assertThat(describe("[\"hello\"]")).isEqualTo("the request body must be a JSON object");
        assertThat(describe("{\"role\": ")).startsWith("the request body is not valid JSON: ");
    }

    @Test
    void aFieldTheRequestDoesNotHaveIsRefusedNamingTheOnesItHas() {
        assertThat(describe("{\"role\": \"system\", \"respnd\": true}"))
                .isEqualTo("respnd is not a field of this request; its fields are metadata, respond, role");
    }

    @Test
    void aNumberOrABooleanIsNotTakenForText() {
        assertThat(describe("{\"role\": 123}")).isEqualTo("role must be a string");
        assertThat(describe("{\"role\": 1.5}")).isEqualTo("role must be a string");
        assertThat(describe("{\"role\": true}")).isEqualTo("role must be a string");
    }

    @Test
    void aBooleanIsOnlyTrueOrFalse() {
        for (String value : new String[]{"1", "0", "1.0", "\"true\"", "\"false\"", "\"\"", "\" \""}) {
            assertThat(describe("{\"respond\": " + value + "}")).as(value).isEqualTo("respond must be true or false");
        }
    }

    /** Two requests glued together, or one followed by junk, are not read as the first one. */
    @Test
    void anythingAfterTheJsonValueIsRefused() {
        String trailing = "the request body is not valid JSON: more follows its JSON value (a request holds one JSON object)";
        assertThat(describe("{\"role\": \"system\"} {\"role\": \"user\"}")).isEqualTo(trailing);
        assertThat(describe("{\"role\": \"system\"}[]")).isEqualTo(trailing);
        assertThat(describe("{\"role\": \"system\"} 1")).isEqualTo(trailing);
        assertThat(describe("{\"role\": \"system\"}garbage")).startsWith("the request body is not valid JSON: Unrecognized token 'garbage'");
    }

    @Test
    void whiteSpaceAfterTheJsonValueIsFine() throws Exception {
        assertThat(JSON.readValue("{\"role\": \"system\"} \r\n\t ", Body.class).role()).isEqualTo("system");
    }

    @Test
    void aFieldNamedTwiceIsRefused() {
        assertThat(describe("{\"role\": \"system\", \"role\": \"user\"}")).contains("Duplicate field 'role'");
    }

    @Test
    void aMessageThatNamesItsFieldIsKeptAsItIs() {
        assertThat(ConstraintViolations.render("text", "must not be blank")).isEqualTo("text must not be blank");
        assertThat(ConstraintViolations.render("text", "text must not be empty")).isEqualTo("text must not be empty");
        assertThat(ConstraintViolations.render("", "goodbye cannot be combined")).isEqualTo("goodbye cannot be combined");
    }

    private static String describe(String body) {
        try {
            JSON.readValue(body, Body.class);
            throw new AssertionError("parsed: " + body);
        } catch (JsonProcessingException e) {
            return JsonProblems.describe(e);
        }
    }
}
