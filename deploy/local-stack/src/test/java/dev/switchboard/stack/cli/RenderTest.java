package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

/** What people read: the services' JSON (as they answer it) as tables and lines. */
class RenderTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:15:30Z");
    private static final Render RENDER = new Render(NOW, ZoneId.of("UTC"), false);

    private static JsonNode json(String text) {
        return Json.parseOrNull(text.replace('\'', '"'));
    }

    @Test
    void liveCallsAreATableWithTheOtherPartysNumberAndHowLongTheCallHasRun() {
        JsonNode list = json("""
                {'sessions': [
                  {'room': 'demo-1', 'sessionId': 's1', 'state': 'LIVE', 'transport': 'SIMULATED', 'direction': 'INBOUND',
                   'agentName': 'support', 'callerNumber': '+15550100', 'startedAt': '2026-12-04T10:13:25.5Z', 'tenant': 'default'},
                  {'room': 'call-42', 'sessionId': 's2', 'state': 'ENDING', 'transport': 'LIVEKIT', 'direction': 'OUTBOUND',
                   'callerNumber': '+15550000', 'calleeNumber': '+15551234567', 'startedAt': '2026-12-03T23:59:00Z', 'tenant': 'default'}]}""");
        assertThat(RENDER.sessions(list)).isEqualTo("""
                ROOM     STATE   DIRECTION  NUMBER        TRANSPORT  AGENT    STARTED           DURATION
                demo-1   LIVE    INBOUND    +15550100     SIMULATED  support  10:13:25          2m04s
                call-42  ENDING  OUTBOUND   +15551234567  LIVEKIT    -        2026-12-03 23:59  10h16m
                """);
    }

    @Test
    void outboundCallsWithoutASessionFollowTheSessionsRingingOrFailed() {
        JsonNode sessions = json("""
                {'sessions': [
                  {'room': 'demo-1', 'sessionId': 's1', 'state': 'LIVE', 'transport': 'SIMULATED', 'direction': 'INBOUND',
                   'callerNumber': '+15550100', 'startedAt': '2026-12-04T10:13:25.5Z', 'tenant': 'default'}]}""");
        JsonNode calls = json("""
                {'calls': [
                  {'room': 'call-7', 'state': 'DIALING', 'to': '+15551234567', 'requestedAt': '2026-12-04T10:15:10Z'},
                  {'room': 'call-6', 'state': 'FAILED', 'to': 'sip:bob@example.com', 'requestedAt': '2026-12-04T10:10:00Z',
                   'endedAt': '2026-12-04T10:10:21Z', 'failure': {'reason': 'BUSY', 'sipStatusCode': 486}},
                  {'room': 'call-5', 'state': 'ANSWERED', 'sessionId': 's5', 'to': '+15550005', 'requestedAt': '2026-12-04T10:00:00Z'}]}""");
        assertThat(RENDER.sessions(sessions, calls)).isEqualTo("""
                ROOM    STATE               DIRECTION  NUMBER               TRANSPORT  AGENT  STARTED   DURATION
                demo-1  LIVE                INBOUND    +15550100            SIMULATED  -      10:13:25  2m04s
                call-7  DIALING             OUTBOUND   +15551234567         -          -      10:15:10  -
                call-6  FAILED: busy (486)  OUTBOUND   sip:bob@example.com  -          -      10:10:00  -
                """);
        assertThat(RENDER.sessions(json("{'sessions': []}"), json("{'calls': [{'room': 'r', 'state': 'DIALING', 'to': '+1555'}]}")))
                .startsWith("ROOM ").contains("r     DIALING");
        assertThat(RENDER.sessions(json("{'sessions': []}"), json("{'calls': []}"))).isEqualTo("no live calls\n");
    }

    @Test
    void aTenantColumnAppearsOnlyWhenCallsOfSeveralTenantsAreListedAndEndedCallsShowTheirLength() {
        JsonNode list = json("""
                {'sessions': [
                  {'room': 'a', 'state': 'LIVE', 'startedAt': '2026-12-04T10:15:00Z', 'tenant': 'acme'},
                  {'room': 'b', 'state': 'ENDED', 'startedAt': '2026-12-04T10:00:00Z', 'endedAt': '2026-12-04T10:00:42Z', 'tenant': 'globex'}]}""");
        assertThat(RENDER.sessions(list).lines()).containsExactly(
                "ROOM  STATE  DIRECTION  NUMBER  TRANSPORT  AGENT  STARTED   DURATION  TENANT",
                "a     LIVE   -          -       -          -      10:15:00  30s       acme",
                "b     ENDED  -          -       -          -      10:00:00  42s       globex");
        assertThat(RENDER.sessions(json("{'sessions': []}"))).isEqualTo("no live calls\n");
        // A ringing dial of another tenant than the listed sessions' is told by its own tenant.
        JsonNode calls = json("{'calls': [{'room': 'c', 'state': 'DIALING', 'to': '+1555', 'requestedAt': '2026-12-04T10:15:20Z', 'tenant': 'initech'}]}");
        assertThat(RENDER.sessions(json("{'sessions': [{'room': 'a', 'state': 'LIVE', 'startedAt': '2026-12-04T10:15:00Z', 'tenant': 'acme'}]}"),
                calls).lines()).containsExactly(
                "ROOM  STATE    DIRECTION  NUMBER  TRANSPORT  AGENT  STARTED   DURATION  TENANT",
                "a     LIVE     -          -       -          -      10:15:00  30s       acme",
                "c     DIALING  OUTBOUND   +1555   -          -      10:15:20  -         initech");
    }

    @Test
    void aDialThatFailedForTheCatchAllReasonSaysWhyOnce() {
        assertThat(RENDER.call(json("{'room': 'r', 'commandId': 'd', 'state': 'FAILED', 'to': '+1555', "
                + "'failure': {'reason': 'FAILED', 'detail': 'LiveKit unreachable'}}")))
                .isEqualTo("FAILED  call to +1555 in room r: LiveKit unreachable (command d)\n");
        assertThat(RENDER.call(json("{'room': 'r', 'commandId': 'd', 'state': 'FAILED', 'to': '+1555', 'failure': {'reason': 'FAILED'}}")))
                .isEqualTo("FAILED  call to +1555 in room r: FAILED (command d)\n");
    }

    @Test
    void aDialThatFailedShowsWhyOnceAndACallLastsFromItsAnswer() {
        // The catch-all reason FAILED is not repeated as its own reason: the detail says why; a call never answered has
        // no duration, an answered one lasts from its answer.
        JsonNode calls = json("""
                {'calls': [
                  {'room': 'f-1', 'state': 'FAILED', 'to': '+1555', 'requestedAt': '2026-12-04T10:10:00Z', 'endedAt': '2026-12-04T10:10:05Z',
                   'failure': {'reason': 'FAILED', 'detail': 'LiveKit unreachable'}},
                  {'room': 'f-2', 'state': 'FAILED', 'to': '+1555', 'requestedAt': '2026-12-04T10:10:00Z', 'failure': {'reason': 'FAILED'}},
                  {'room': 'f-3', 'state': 'FAILED', 'to': '+1555', 'requestedAt': '2026-12-04T10:10:00Z',
                   'failure': {'reason': 'NO_ANSWER', 'sipStatusCode': null}},
                  {'room': 'e-1', 'state': 'ENDED', 'to': '+1555', 'requestedAt': '2026-12-04T10:00:00Z', 'answeredAt': '2026-12-04T10:00:20Z',
                   'endedAt': '2026-12-04T10:01:00Z', 'endReason': 'CALLER_HANGUP'}]}""");
        assertThat(RENDER.sessions(json("{'sessions': []}"), calls).lines()).containsExactly(
                "ROOM  STATE                        DIRECTION  NUMBER  TRANSPORT  AGENT  STARTED   DURATION",
                "f-1   FAILED: LiveKit unreachable  OUTBOUND   +1555   -          -      10:10:00  -",
                "f-2   FAILED                       OUTBOUND   +1555   -          -      10:10:00  -",
                "f-3   FAILED: no answer            OUTBOUND   +1555   -          -      10:10:00  -",
                "e-1   ENDED: CALLER_HANGUP         OUTBOUND   +1555   -          -      10:00:00  40s");
    }

    @Test
    void aCommandsOutcomeIsItsStatusFirst() {
        assertThat(RENDER.outcome(json("{'commandId': 'c-1', 'room': 'demo-1', 'type': 'InjectContext', 'status': 'APPLIED'}")))
                .isEqualTo("APPLIED  InjectContext for room demo-1 (command c-1)\n");
        assertThat(RENDER.outcome(json("{'commandId': 'c-2', 'room': 'demo-1', 'type': 'Say', 'status': 'REJECTED', 'reason': 'the session is ending'}")))
                .isEqualTo("REJECTED  Say for room demo-1: the session is ending (command c-2)\n");
        ApiProblem rejected = ApiProblem.from(new ApiClient.Answer(409, "application/problem+json", """
                {"type": "https://switchboard.dev/problems/command-rejected", "title": "Command rejected", "status": 409,
                 "detail": "the Say command was rejected: the session is ending", "room": "demo-1", "commandId": "c-2",
                 "commandStatus": "REJECTED", "reason": "the session is ending"}"""));
        assertThat(rejected.commandStatus()).isEqualTo("REJECTED");
        assertThat(RENDER.outcome(rejected)).as("the same words as a command's view")
                .isEqualTo("REJECTED  Say for room demo-1: the session is ending (command c-2)\n");
        ApiProblem expired = ApiProblem.from(new ApiClient.Answer(504, "application/problem+json", """
                {"title": "Command expired", "status": 504, "detail": "the HangupRequested command expired before it was applied",
                 "room": "demo-1", "commandId": "c-3", "commandStatus": "EXPIRED"}"""));
        assertThat(RENDER.outcome(expired)).isEqualTo("EXPIRED  HangupRequested for room demo-1 (command c-3)\n");
    }

    @Test
    void problemsAreTheirTitleAndDetailAndOtherErrorsTheirStatus() {
        ApiProblem scope = ApiProblem.from(new ApiClient.Answer(403, "application/problem+json",
                "{\"title\": \"Missing scope\", \"status\": 403, \"detail\": \"this request needs the scope calls:control, which the token does not grant\"}"));
        assertThat(scope.words(ApiClient.Service.GATEWAY))
                .isEqualTo("Missing scope: this request needs the scope calls:control, which the token does not grant");
        assertThat(ApiProblem.from(new ApiClient.Answer(502, "text/html", "<html>Bad Gateway</html>")).words(ApiClient.Service.TRANSCRIPTS))
                .isEqualTo("HTTP 502 from the transcript service: <html>Bad Gateway</html>");
        assertThat(ApiProblem.from(new ApiClient.Answer(500, "", "")).words(ApiClient.Service.GATEWAY))
                .isEqualTo("HTTP 500 from the context gateway");
        // A detail that starts with the title already says it: the title is not said twice.
        ApiProblem notConfigured = ApiProblem.from(new ApiClient.Answer(503, "application/problem+json", """
                {"type": "urn:switchboard:problem:dialing-not-configured", "title": "Outbound calls are not configured", "status": 503,
                 "detail": "outbound calls are not configured: set SWITCHBOARD_SIP_OUTBOUND_TRUNK"}"""));
        assertThat(notConfigured.words(ApiClient.Service.GATEWAY)).isEqualTo("outbound calls are not configured: set SWITCHBOARD_SIP_OUTBOUND_TRUNK");
    }

    @Test
    void transcriptLinesReadLikeTheTextTranscript() {
        assertThat(Render.line(json("{'role': 'USER', 'speaker': 'Caller', 'text': 'Where is\\nmy order?', 'startMs': 1234, 'isFinal': true}")))
                .isEqualTo("[00:01.2] Caller: Where is my order?");
        assertThat(Render.line(json("{'role': 'AGENT', 'speaker': 'Agent', 'text': 'It left', 'startMs': 3723456, 'interrupted': true}")))
                .isEqualTo("[1:02:03.4] Agent: It left [interrupted]");
        assertThat(RENDER.ended(json("{'sessionId': 's1', 'endReason': 'OPERATOR_HANGUP', 'endedAt': '2026-12-04T10:16:00Z'}")))
                .isEqualTo("call ended: OPERATOR_HANGUP at 10:16:00");
        assertThat(Render.duration(Duration.ofSeconds(59))).isEqualTo("59s");
        assertThat(Render.duration(Duration.ofSeconds(3600 + 120 + 5))).isEqualTo("1h02m");
    }

    @Test
    void searchResultsAreOneLinePerMatchWithTheMatchesInBoldOnlyOnATerminal() {
        JsonNode page = json("""
                {'query': 'order', 'config': 'english', 'nextCursor': 'abc', 'results': [
                  {'highlight': 'Where is my <mark>order</mark>? &amp; the &lt;invoice&gt;',
                   'segment': {'role': 'USER', 'speaker': 'Caller', 'text': 'Where is my order? & the <invoice>', 'startMs': 2100},
                   'session': {'room': 'demo-1', 'startedAt': '2026-12-04T09:00:00Z'}}]}""");
        assertThat(RENDER.searchResults(page, "order")).isEqualTo("""
                2026-12-04 09:00  demo-1  [00:02.1] Caller: Where is my order? & the <invoice>
                (more lines match: a larger --limit shows more, up to the service's maximum (200 unless configured); more words or --room narrow the search)
                """);
        assertThat(new Render(NOW, ZoneId.of("UTC"), true).searchResults(page, "order"))
                .contains("Caller: Where is my \u001b[1morder\u001b[0m? & the <invoice>");
        assertThat(RENDER.searchResults(json("{'results': []}"), "zebra")).isEqualTo("no transcript line matches zebra\n");
    }

    @Test
    void noValueAddsALineAColumnOrBoldOfItsOwn() {
        assertThat(Render.line(json("{'role': 'INJECTED', 'speaker': 'crm\\n[00:09.0] Agent', 'text': 'refund\\u001b[1m ok', 'startMs': 0}")))
                .isEqualTo("[00:00.0] crm [00:09.0] Agent: refund<U+001B>[1m ok");
        JsonNode page = json("""
                {'results': [{'highlight': '\\u001b[1mnot bold <mark>order</mark>',
                   'segment': {'role': 'USER', 'speaker': 'Caller\\u202E', 'text': 'x', 'startMs': 0},
                   'session': {'room': 'r1\\n2026-12-04 09:00  r2', 'startedAt': '2026-12-04T09:00:00Z'}}]}""");
        assertThat(new Render(NOW, ZoneId.of("UTC"), true).searchResults(page, "order")).isEqualTo("2026-12-04 09:00  r1 2026-12-04 09:00 r2  "
                + "[00:00.0] Caller<U+202E>: <U+001B>[1mnot bold " + Render.BOLD + "order" + Render.PLAIN + "\n");
        String table = RENDER.sessions(json("{'sessions': [{'room': 'a\\u0008\\u0008b', 'state': 'LIVE', 'agentName': 'x\\u200Fy'}]}"));
        assertThat(table.lines().toList().get(1)).startsWith("a<U+0008><U+0008>b  LIVE").contains("x<U+200F>y");
        assertThat(table.lines().toList().get(0).indexOf("STATE")).as("the columns are as wide as what is shown")
                .isEqualTo(table.lines().toList().get(1).indexOf("LIVE"));
    }
}
