package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.gateway.support.FakeWorker;
import dev.switchboard.testing.KafkaTestResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

/** Bad input is a 400 application/problem+json whose detail says exactly what is wrong. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class ValidationTest {
    private static final String ROOM = Api.newRoom("validation");
    private static FakeWorker worker;

    private static boolean sessionStarted;

    @BeforeAll
    static void startWorker() {
        worker = FakeWorker.start();
    }

    /** Validation comes before any session check; the live session is for the requests that pass it. */
    @BeforeEach
    void liveSession() {
        Api.awaitReady();
        if (!sessionStarted) {
            Api.awaitSession(ROOM, worker.startSession(ROOM), "LIVE");
            sessionStarted = true;
        }
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    private static ValidatableResponse postRaw(String command, String body) {
        var request = given().contentType(ContentType.JSON);
        if (body != null) {
            request = request.body(body);
        }
        return request.post("/v1/sessions/{room}/" + command, ROOM).then();
    }

    private static void badRequest(ValidatableResponse response, String detail) {
        response.statusCode(400)
                .contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:invalid-request"))
                .body("title", is("Invalid request"))
                .body("status", is(400))
                .body("detail", is(detail));
    }

    @Test
    void theRoleMustBeSystemOrUser() {
        badRequest(Api.post(ROOM, "context", Map.of("role", "assistant", "text", "hi")),
                "role must be \"system\" or \"user\", not \"assistant\"");
        badRequest(Api.post(ROOM, "context", Map.of("text", "hi")), "role is required: \"system\" or \"user\"");
    }

    @Test
    void textMustBeGivenNotBlankAndNotTooLong() {
        badRequest(Api.post(ROOM, "context", Map.of("role", "system", "text", "")), "text must not be empty");
        badRequest(Api.post(ROOM, "say", Map.of("text", "   ")), "text must not be blank");
        badRequest(Api.post(ROOM, "say", Map.of("allowInterruptions", true)), "text is required");
        badRequest(Api.post(ROOM, "say", Map.of("text", "x".repeat(4001))), "text is 4001 characters long; at most 4000 are allowed");
        badRequest(Api.post(ROOM, "instructions", Map.of("instructions", " ")), "instructions must not be blank");
    }

    @Test
    void noTextMayCarryANulCharacterWhichNothingDownstreamCouldStore() {
        badRequest(Api.post(ROOM, "context", Map.of("role", "system", "text", "a\0b")), "text must not contain NUL characters");
        badRequest(Api.post(ROOM, "instructions", Map.of("instructions", "be\0brief")), "instructions must not contain NUL characters");
        badRequest(Api.post(ROOM, "hangup", Map.of("reason", "wrong\0number")), "reason must not contain NUL characters");
    }

    @Test
    void noTextMayCarryALoneSurrogateWhichUtf8CannotEncode() {
        // Written as JSON escapes: the client's JSON is well formed, the text it decodes to is not Unicode.
        badRequest(postRaw("say", "{\"text\": \"\\ud800\"}"), "text is not valid Unicode: a lone surrogate");
        badRequest(postRaw("say", "{\"text\": \"a\\udc00b\"}"), "text is not valid Unicode: a lone surrogate");
        badRequest(postRaw("context", "{\"role\": \"system\", \"text\": \"hi\", \"label\": \"x\\ud83d\"}"),
                "label is not valid Unicode: a lone surrogate");
        badRequest(postRaw("instructions", "{\"instructions\": \"be \\ud83d brief\"}"), "instructions is not valid Unicode: a lone surrogate");
        badRequest(postRaw("hangup", "{\"reason\": \"\\ude00\"}"), "reason is not valid Unicode: a lone surrogate");
    }

    /**
     * A body is refused unless its bytes are well-formed UTF-8 (RFC 3629): an overlong "/" ({@code C0 AF}, {@code E0 80 AF})
     * was decoded into "x/y" and applied, and a code point above U+10FFFF was refused as "a lone surrogate" it never held.
     */
    @Test
    void aBodyThatIsNotWellFormedUtf8IsRefusedAsSuch() {
        String notUtf8 = "the body is not valid UTF-8: ";
        int[][] malformed = {
                {0xC0, 0xAF}, // an overlong "/" in two bytes
                {0xE0, 0x80, 0xAF}, // in three
                {0xF0, 0x80, 0x80, 0xAF}, // in four
                {0xF4, 0x90, 0x80, 0x80}, // U+110000, above the last code point
                {0xED, 0xA0, 0x80}, // a surrogate (U+D800) written as UTF-8
                {0xFF}, // never a UTF-8 byte
                {0x80}, // a continuation byte without a start
                {0xE2, 0x82}, // a sequence cut short
        };
        String before = "{\"role\":\"system\",\"text\":\"x";
        for (int[] sequence : malformed) {
            var body = new java.io.ByteArrayOutputStream();
            body.writeBytes(before.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            for (int b : sequence) {
                body.write(b);
            }
            body.writeBytes("y\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            given().contentType(ContentType.JSON).body(body.toByteArray()).post("/v1/sessions/{room}/context", ROOM).then()
                    .statusCode(400).contentType(ContentType.fromContentType("application/problem+json"))
                    .body("type", is("urn:switchboard:problem:invalid-request"))
                    .body("detail", startsWith(notUtf8 + "the bytes at offset " + before.length() + " are not"));
        }
        // Every endpoint with a JSON body: the dial too.
        given().contentType(ContentType.JSON).body(new byte[] {'{', '"', 't', 'o', '"', ':', '"', (byte) 0xC0, (byte) 0xAB, '1', '"', '}'})
                .post("/v1/calls").then().statusCode(400).body("detail", startsWith(notUtf8));
        // Well-formed UTF-8 beyond ASCII (two, three and four bytes) is read as written.
        String text = "Zo\u00eb \u260e \uD83D\uDE00";
        String commandId = given().contentType(ContentType.JSON).body(("{\"role\":\"system\",\"text\":\"" + text + "\"}").getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/sessions/{room}/context", ROOM).then().statusCode(200).body("status", is("APPLIED")).extract().path("commandId");
        var applied = worker.awaitCommand(commandId).value();
        org.assertj.core.api.Assertions.assertThat(((dev.switchboard.events.InjectContext) applied.getPayload()).getText()).isEqualTo(text);
    }

    @Test
    void aLabelIsOneLineWithoutControlCharactersWhileTextMayHaveLineBreaks() {
        badRequest(Api.post(ROOM, "context", Map.of("role", "system", "text", "hi", "label", "crm\u001b[2J")),
                "label must not contain control characters");
        badRequest(Api.post(ROOM, "context", Map.of("role", "system", "text", "hi", "label", "crm\nsync")),
                "label must not contain control characters");
        badRequest(Api.post(ROOM, "context", Map.of("role", "system", "text", "hi", "label", "crm\u0085")),
                "label must not contain control characters");
        Api.post(ROOM, "context", Map.of("role", "system", "text", "line one\n\tline two", "label", "crm sync")).statusCode(200);
    }

    @Test
    void aBooleanIsTrueOrFalseNeverANumberOrAString() {
        for (String value : new String[]{"1", "0", "\"true\"", "\"false\"", "\"\"", "\" \"", "2.5", "\"yes\""}) {
            badRequest(postRaw("say", "{\"text\": \"x\", \"allowInterruptions\": " + value + "}"),
                    "allowInterruptions must be true or false");
            badRequest(postRaw("context", "{\"role\": \"user\", \"text\": \"x\", \"respond\": " + value + "}"),
                    "respond must be true or false");
        }
        postRaw("say", "{\"text\": \"x\", \"allowInterruptions\": false}").statusCode(200);
    }

    @Test
    void everyProblemOfARequestIsNamedAtOnce() {
        badRequest(Api.post(ROOM, "context", Map.of("role", "boss", "text", "")),
                "role must be \"system\" or \"user\", not \"boss\"; text must not be empty");
    }

    @Test
    void malformedOrMistypedJsonIsNamed() {
        postRaw("context", "{\"role\": \"system\", \"text\": ")
                .statusCode(400).contentType(ContentType.fromContentType("application/problem+json"))
                .body("detail", startsWith("the request body is not valid JSON: "));
        badRequest(postRaw("context", "{\"role\": \"system\", \"text\": \"hi\", \"respond\": \"maybe\"}"), "respond must be true or false");
        badRequest(postRaw("say", "{\"text\": {\"nested\": true}}"), "text must be a string");
        badRequest(postRaw("say", "[\"hello\"]"), "the request body must be a JSON object");
        // One request, one meaning: which of two values a reader takes is not for it to guess.
        badRequest(postRaw("say", "{\"text\": \"hello\", \"text\": \"goodbye\"}"), "the request body is not valid JSON: Duplicate field 'text'");
        badRequest(postRaw("context", "{\"role\": \"system\", \"text\": \"hi\", \"metadata\": {\"a\": \"1\", \"a\": \"2\"}}"),
                "the request body is not valid JSON: Duplicate field 'a'");
        badRequest(postRaw("context", null), "a JSON body is required, e.g. {\"role\": \"system\", \"text\": \"...\"}");
    }

    /** Two bodies glued together, or one followed by junk, are refused: the first one alone is not what was sent. */
    @Test
    void anythingAfterTheJsonBodyIsRefused() {
        String trailing = "the request body is not valid JSON: more follows its JSON value (a request holds one JSON object)";
        badRequest(postRaw("say", "{\"text\": \"a\"} {\"text\": \"b\"}"), trailing);
        postRaw("say", "{\"text\": \"a\"}garbage").statusCode(400)
                .contentType(ContentType.fromContentType("application/problem+json"))
                .body("detail", startsWith("the request body is not valid JSON: Unrecognized token 'garbage'"));
        badRequest(given().contentType(ContentType.JSON)
                .body("{\"to\": \"+15551234567\", \"room\": \"" + Api.newRoom("glued") + "\"}{\"to\": \"+15557654321\"}")
                .post("/v1/calls").then(), trailing);
        // White space after the body is no content.
        postRaw("say", "{\"text\": \"a\"} \r\n").statusCode(200);
    }

    @Test
    void aFieldTheRequestDoesNotHaveIsRefusedSoATypoIsNeverDroppedSilently() {
        badRequest(postRaw("context", "{\"role\": \"system\", \"text\": \"hi\", \"respnd\": true}"),
                "respnd is not a field of this request; its fields are label, respond, role, text");
        badRequest(postRaw("say", "{\"text\": \"hello\", \"voice\": \"alto\"}"),
                "voice is not a field of this request; its fields are addToChatContext, allowInterruptions, text");
    }

    @Test
    void aNumberOrABooleanIsNotTakenForText() {
        badRequest(postRaw("context", "{\"role\": \"system\", \"text\": 123}"), "text must be a string");
        badRequest(postRaw("dtmf", "{\"digits\": 1234}"), "digits must be a string");
        badRequest(postRaw("say", "{\"text\": true}"), "text must be a string");
    }

    @Test
    void modeAndHangupOptionsAreChecked() {
        badRequest(Api.post(ROOM, "instructions", Map.of("instructions", "Be brief.", "mode", "merge")),
                "mode must be \"replace\" or \"append\", not \"merge\"");
        badRequest(Api.post(ROOM, "hangup", Map.of("immediate", true, "goodbye", "Bye!")),
                "goodbye cannot be combined with immediate: an immediate hang-up says nothing "
                        + "(leave out goodbye, or leave out immediate to have the agent say it first)");
        badRequest(Api.post(ROOM, "context", Map.of("role", "user", "text", "hi", "label", "l".repeat(201))),
                "label is 201 characters long; at most 200 are allowed");
    }

    @Test
    void waitMustBeADurationOfAtMost30Seconds() {
        badRequest(Api.post(given().queryParam("wait", "soon"), ROOM, "say", Map.of("text", "hi")),
                "wait must be a duration such as 0, 500ms, 5s or 1m, not \"soon\"");
        badRequest(Api.post(given().queryParam("wait", "-1s"), ROOM, "say", Map.of("text", "hi")),
                "wait must be a duration such as 0, 500ms, 5s or 1m, not \"-1s\"");
        badRequest(Api.post(given().queryParam("wait", "31s"), ROOM, "say", Map.of("text", "hi")),
                "wait must be at most 30s, not 31s");
    }

    @Test
    void headersAndQueryParametersAreChecked() {
        badRequest(Api.post(given().header("Idempotency-Key", "has spaces"), ROOM, "say", Map.of("text", "hi")),
                "Idempotency-Key may only contain visible ASCII characters (no spaces)");
        badRequest(Api.post(given().header("X-Switchboard-Issuer", "o".repeat(201)), ROOM, "say", Map.of("text", "hi")),
                "X-Switchboard-Issuer is 201 characters long; at most 200 are allowed");
        badRequest(given().queryParam("state", "sleeping").get("/v1/sessions").then(),
                "state must be one of live, ending, ended, not \"sleeping\"");
        badRequest(given().queryParam("all", "maybe").get("/v1/sessions").then(), "all must be true or false, not \"maybe\"");
    }

    /**
     * An empty header or query value is not an absent one: a client whose shell variable is unset
     * ({@code -H "Idempotency-Key: $KEY"}) would otherwise send a retry without its key (and ring a phone twice), and
     * {@code ?sessionId=} would reach whatever session the room has now.
     */
    @Test
    void anEmptyHeaderOrQueryValueIsRefusedNotTakenForAbsent() {
        String blankKey = "Idempotency-Key must not be blank";
        for (String key : new String[] {"", "   "}) {
            badRequest(Api.post(given().header("Idempotency-Key", key), ROOM, "say", Map.of("text", "hi")), blankKey);
            badRequest(Api.post(given().header("Idempotency-Key", key), ROOM, "hangup", Map.of()), blankKey);
            badRequest(Api.post(given().header("Idempotency-Key", key), ROOM, "dtmf", Map.of("digits", "1")), blankKey);
            badRequest(given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                    .body(Map.of("to", "+15551234567", "room", Api.newRoom("empty-key"))).post("/v1/calls").then(), blankKey);
            badRequest(Api.post(given().header("X-Switchboard-Issuer", key), ROOM, "say", Map.of("text", "hi")),
                    "X-Switchboard-Issuer must not be blank (leave it out to be labelled by the token)");
        }
        String blankSession = "sessionId must not be blank (leave it out to mean the room's latest session)";
        badRequest(Api.post(given().queryParam("sessionId", ""), ROOM, "context", Map.of("role", "user", "text", "hi")), blankSession);
        badRequest(Api.post(given().queryParam("sessionId", ""), ROOM, "say", Map.of("text", "hi")), blankSession);
        badRequest(given().queryParam("sessionId", "").get("/v1/sessions/{room}", ROOM).then(), blankSession);
        given().queryParam("room", "").get("/v1/stream").then().statusCode(400)
                .body("detail", startsWith("room must be 1 to "));
        badRequest(Api.post(given().queryParam("wait", ""), ROOM, "say", Map.of("text", "hi")),
                "wait must be a duration such as 0, 500ms, 5s or 1m, not \"\"");
        badRequest(given().contentType(ContentType.JSON).queryParam("wait", "")
                        .body(Map.of("to", "+15551234567", "room", Api.newRoom("empty-wait"))).post("/v1/calls").then(),
                "wait must be a duration such as 0, 500ms, 5s or 1m, not \"\"");
    }

    @Test
    void aParameterOrHeaderThatTakesOneValueMayNotComeTwice() {
        badRequest(Api.post(given().queryParam("wait", "0", "30s"), ROOM, "say", Map.of("text", "hi")),
                "wait is given 2 times; it takes one value");
        badRequest(Api.post(given().header("Idempotency-Key", "a").header("Idempotency-Key", "b"), ROOM, "say", Map.of("text", "hi")),
                "the Idempotency-Key header is given 2 times; it takes one value");
        badRequest(given().queryParam("all", "true", "false").get("/v1/sessions").then(), "all is given 2 times; it takes one value");
        badRequest(given().queryParam("sessionId", "a", "b").get("/v1/sessions/{room}", ROOM).then(),
                "sessionId is given 2 times; it takes one value");
        // A list parameter takes them all.
        given().queryParam("state", "live", "ended").get("/v1/sessions").then().statusCode(200);
    }

    @Test
    void anUnknownSessionStateIsNamedWhereverItIsInTheQuery() {
        String detail = "state must be one of live, ending, ended, not \"bogus\"";
        badRequest(given().queryParam("state", "bogus").get("/v1/sessions").then(), detail);
        badRequest(given().queryParam("state", "live,bogus").get("/v1/sessions").then(), detail);
        badRequest(given().queryParam("state", "live", "bogus").get("/v1/sessions").then(), detail);
        badRequest(given().queryParam("state", "bogus").queryParam("all", "true").get("/v1/sessions").then(), detail);
        given().queryParam("state", "live", "ended").get("/v1/sessions").then().statusCode(200);
        // Given empty, it is refused as a blank value is, not taken for "any state" (as RESTEasy hands it over).
        badRequest(given().get("/v1/sessions?state=").then(), "state must be one of live, ending, ended, not \"\"");
        badRequest(given().get("/v1/calls?state=").then(), "state must be one of dialing, answered, failed, ended, not \"\"");
    }

    @Test
    void unknownCommandsAndPathsAreProblemsToo() {
        Api.command("no-such-command").statusCode(404)
                .contentType(ContentType.fromContentType("application/problem+json"))
                .body("type", is("urn:switchboard:problem:command-not-found"));
        given().get("/v1/nothing-here").then().statusCode(404)
                .contentType(ContentType.fromContentType("application/problem+json"));
    }
}
