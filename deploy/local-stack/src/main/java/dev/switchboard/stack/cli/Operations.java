package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.stack.cli.ApiClient.Answer;
import dev.switchboard.stack.cli.ApiClient.Service;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static dev.switchboard.stack.cli.ApiClient.query;
import static dev.switchboard.stack.cli.ApiClient.segment;

/**
 * Carries out one operator command against the APIs and prints the result: the answer's JSON as it is with
 * {@code --json}, words for people otherwise. Returns the exit code; an error answer becomes a {@link CliException}
 * with the problem's title and detail (after its JSON, with {@code --json}).
 */
final class Operations {
    /** How long the gateway may hold a command request for its outcome (its documented maximum). */
    static final String COMMAND_WAIT = "30s";
    /** The wait, plus Kafka's publish timeout (10 s) and some slack. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(50);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);
    /** How long dial --wait lets the gateway hold the request for the answer (its switchboard.gateway.calls.max-wait as shipped). */
    static final String DIAL_WAIT = "60s";
    private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(80);
    /** How often a command still PENDING after the wait is looked up again, and for how long at most. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration POLL_LIMIT = Duration.ofMinutes(2);
    /** How often a command the gateway could not hand to Kafka (503) is sent again, under the same Idempotency-Key. */
    static final int PUBLISH_RETRIES = 2;
    private static final Duration PUBLISH_RETRY_PAUSE = Duration.ofSeconds(1);

    private final ApiClient api;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean json;
    private final Render render;
    /** tail: the end of a call in which nothing was said, held back until it is known not to be a failed dial. */
    private JsonNode endOfSilentCall;

    Operations(ApiClient api, PrintStream out, PrintStream err, boolean json, Render render) {
        this.api = api;
        this.out = out;
        this.err = err;
        this.json = json;
        this.render = render;
    }

    int run(CliCommand command) {
        return switch (command) {
            case CliCommand.Calls calls -> calls(calls);
            case CliCommand.Inject inject -> {
                ObjectNode body = Json.object().put("role", inject.role()).put("text", inject.text()).put("respond", inject.respond());
                if (inject.label() != null) {
                    body.put("label", inject.label());
                }
                yield steer(inject.room(), "context", body);
            }
            case CliCommand.Say say -> steer(say.room(), "say", Json.object().put("text", say.text()));
            case CliCommand.Dtmf dtmf -> steer(dtmf.room(), "dtmf", Json.object().put("digits", dtmf.digits()));
            case CliCommand.Hangup hangup -> {
                ObjectNode body = Json.object().put("reason", hangup.reason());
                if (hangup.now()) {
                    body.put("immediate", true);
                } else {
                    body.put("goodbye", hangup.goodbye());
                }
                yield steer(hangup.room(), "hangup", body);
            }
            case CliCommand.Dial dial -> dial(dial);
            case CliCommand.Transfer transfer -> {
                ObjectNode body = Json.object().put("to", transfer.to());
                if (transfer.announcement() != null) {
                    body.put("announcement", transfer.announcement());
                }
                yield steer(transfer.room(), "transfer", body);
            }
            case CliCommand.Transcript transcript -> transcript(transcript);
            case CliCommand.Tail tail -> tail(tail);
            case CliCommand.Search search -> search(search);
            case CliCommand.Help help -> help(help, out);
        };
    }

    /** Help needs neither the stack nor a token: printed before anything is looked up. */
    static int help(CliCommand.Help help, PrintStream out) {
        out.print(help.verb() == null ? Verb.overview() : help.verb().help());
        out.flush();
        return CliException.OK;
    }

    /**
     * The gateway's sessions, and the outbound calls that have none (ringing, answered while the agent joins; with --all
     * also failed and ended): an outbound call has no session until its agent has started one, and a failed one never
     * has. The table and --json show the same calls: --json prints {"sessions": [...], "calls": [...]}, the sessions as
     * GET /v1/sessions answered and the calls of GET /v1/calls that have no session.
     */
    private int calls(CliCommand.Calls calls) {
        Answer answer = api.get(Service.GATEWAY, "/v1/sessions" + (calls.all() ? "?all=true" : ""), READ_TIMEOUT);
        if (!answer.ok()) {
            throw fail(Service.GATEWAY, answer);
        }
        Answer dials = api.get(Service.GATEWAY, "/v1/calls?state=" + (calls.all() ? CALL_STATES_ALL : CALL_STATES_LIVE), READ_TIMEOUT);
        if (!dials.ok()) {
            throw fail(Service.GATEWAY, dials);
        }
        JsonNode sessions = Json.parse(answer.body(), Service.GATEWAY);
        ObjectNode withoutSession = Json.object();
        var list = withoutSession.putArray("calls");
        Json.parse(dials.body(), Service.GATEWAY).path("calls").forEach(call -> {
            if (Json.text(call, "sessionId") == null) {
                list.add(call);
            }
        });
        if (json) {
            ObjectNode both = Json.object();
            both.set("sessions", sessions.path("sessions"));
            both.set("calls", list);
            print(Json.write(both));
            return CliException.OK;
        }
        print(render.sessions(sessions, withoutSession));
        return CliException.OK;
    }

    /** The outbound calls that can be live without a session: ringing, or answered while the agent joins. */
    static final String CALL_STATES_LIVE = "dialing,answered";
    /** With --all: the failed ones, and the ended ones (an answered call can end before its agent started a session). */
    static final String CALL_STATES_ALL = "dialing,answered,failed,ended";

    /**
     * A command for a live call: the gateway holds the request until the worker (or, for an immediate hang-up, the call
     * controller) has answered, for up to 30 s; a command still PENDING then is looked up until it is decided.
     */
    private int steer(String room, String action, ObjectNode body) {
        // One key for every attempt: a 503 publish-failed means Kafka did not acknowledge in time, and the command may still arrive,
        // so a retry under the same key is applied once, and a retry under a new one could be applied twice.
        String idempotencyKey = "cli-" + UUID.randomUUID();
        String path = "/v1/sessions/" + segment(room) + "/" + action + "?wait=" + COMMAND_WAIT;
        Answer answer = postAgainIfUnacknowledged("command", path, Json.write(body), COMMAND_TIMEOUT, idempotencyKey);
        if (answer.status() == 202) {
            answer = untilDecided(answer);
        }
        if (answer.ok()) {
            JsonNode command = Json.parse(answer.body(), Service.GATEWAY);
            String status = command.path("status").asText();
            print(json ? answer.body() : render.outcome(command));
            if ("PENDING".equals(status)) {
                err.println(TerminalText.shown("error: no outcome yet; GET " + command.path("statusUrl").asText() + " on the gateway tells it later"));
            }
            return "APPLIED".equals(status) ? CliException.OK : CliException.API_ERROR;
        }
        ApiProblem problem = ApiProblem.from(answer);
        if (problem.commandStatus() != null) {
            // Decided, just not applied (REJECTED, EXPIRED, UNKNOWN_SESSION): the outcome is the answer.
            print(json ? answer.body() : render.outcome(problem));
            return CliException.API_ERROR;
        }
        throw fail(Service.GATEWAY, answer);
    }

    /**
     * An outbound call: POST /v1/calls, at once (202, DIALING) or with --wait until it is answered or has failed. A 503
     * is sent again under the same Idempotency-Key, as a command is: a retry never rings the phone twice.
     */
    private int dial(CliCommand.Dial dial) {
        ObjectNode body = Json.object().put("to", dial.to());
        if (dial.from() != null) {
            body.put("from", dial.from());
        }
        if (dial.trunk() != null) {
            body.put("trunkId", dial.trunk());
        }
        if (dial.room() != null) {
            body.put("room", dial.room());
        }
        if (dial.instructions() != null) {
            body.put("instructions", dial.instructions());
        }
        String idempotencyKey = "cli-" + UUID.randomUUID();
        String path = "/v1/calls?wait=" + (dial.await() ? DIAL_WAIT : "0");
        Answer answer = postAgainIfUnacknowledged("dial", path, Json.write(body), DIAL_TIMEOUT, idempotencyKey);
        if (!answer.ok()) {
            throw fail(Service.GATEWAY, answer);
        }
        JsonNode call = Json.parse(answer.body(), Service.GATEWAY);
        print(json ? answer.body() : render.call(call));
        String state = call.path("state").asText();
        if (dial.await() && "DIALING".equals(state)) {
            err.println(TerminalText.shown("still ringing after " + DIAL_WAIT + "; GET " + call.path("statusUrl").asText()
                    + " on the gateway (or ./switchboard calls) tells how it went"));
        }
        return "FAILED".equals(state) ? CliException.API_ERROR : CliException.OK;
    }

    /**
     * Posts a command or dial, and posts it again (twice at most, under the same Idempotency-Key) while the gateway
     * answers that Kafka did not acknowledge it (503 publish-failed): it may still arrive, and the key makes the gateway
     * apply it once. Any other answer, a 503 that says something is not configured included, is the answer at once.
     */
    private Answer postAgainIfUnacknowledged(String what, String path, String body, Duration timeout, String idempotencyKey) {
        Answer answer = api.post(Service.GATEWAY, path, body, timeout, idempotencyKey);
        for (int retry = 1; ApiProblem.unacknowledged(answer) && retry <= PUBLISH_RETRIES; retry++) {
            err.println(TerminalText.shown("the gateway could not hand the " + what + " to Kafka (" + ApiProblem.from(answer).words(Service.GATEWAY)
                    + "); sending it again under the same Idempotency-Key (" + retry + " of " + PUBLISH_RETRIES + ")"));
            sleep(PUBLISH_RETRY_PAUSE);
            answer = api.post(Service.GATEWAY, path, body, timeout, idempotencyKey);
        }
        return answer;
    }

    /** Looks a PENDING command up until it is decided, it is past its expiry (the gateway's watchdog then answers), or 2 min. */
    private Answer untilDecided(Answer pending) {
        JsonNode command = Json.parse(pending.body(), Service.GATEWAY);
        String statusUrl = command.path("statusUrl").asText(null);
        if (statusUrl == null) {
            return pending;
        }
        Instant deadline = Instant.now().plus(POLL_LIMIT);
        try {
            Instant expiry = Instant.parse(command.path("expiresAt").asText()).plusSeconds(10);
            deadline = expiry.isBefore(deadline) ? expiry : deadline;
        } catch (DateTimeParseException e) {
            // no expiry given: the limit alone
        }
        Answer latest = pending;
        while (Instant.now().isBefore(deadline)) {
            sleep(POLL_INTERVAL);
            Answer answer = api.get(Service.GATEWAY, statusUrl, READ_TIMEOUT);
            if (!answer.ok()) {
                throw fail(Service.GATEWAY, answer);
            }
            latest = answer;
            if (!"PENDING".equals(Json.parse(answer.body(), Service.GATEWAY).path("status").asText())) {
                break;
            }
        }
        return latest;
    }

    private int transcript(CliCommand.Transcript transcript) {
        Answer answer = api.getAny(Service.TRANSCRIPTS, "/v1/sessions/" + segment(transcript.room()) + "/transcript?format="
                + transcript.format(), READ_TIMEOUT);
        if (!answer.ok()) {
            throw fail(Service.TRANSCRIPTS, answer);
        }
        print(answer.body());
        return CliException.OK;
    }

    /**
     * Follows the transcript's Server-Sent Events until the "end" event. People see each line once, when it is final
     * (a voice caller's words arrive as interim versions first), and whether the call is followed live or had already
     * ended ({@link LiveNote}); scripts get every event as one JSON line. A call can outlast the token: when the service
     * ends the stream because the token expired, a token the CLI signed itself is renewed and the stream reopened (its
     * replay shows nothing twice); a token it was given cannot be, and the command says so.
     */
    private int tail(CliCommand.Tail tail) {
        LiveNote note = new LiveNote(err, LiveNote.DELAY);
        Set<String> shown = new HashSet<>();
        Answer[] missing = {null};
        CallWait wait = new CallWait(tail.room(), Instant.now().plus(CALL_WAIT_LIMIT));
        Reconnection reconnection = new Reconnection(tail.reconnect());
        try {
            while (true) {
                switch (followOrBrokeOff(tail, note, shown, missing, reconnection)) {
                    case ENDED -> {
                        if (shown.isEmpty()) {
                            wait.refuseFailedDial(); // a dial that failed is stored as a call that ended with nothing said
                        }
                        if (endOfSilentCall != null) { // not a failed dial: its end is said after all
                            note.ended();
                            out.println(render.ended(endOfSilentCall));
                        }
                        return CliException.OK;
                    }
                    case NO_SESSION -> {
                        if (!wait.untilSessionMayBeThere()) {
                            throw fail(Service.TRANSCRIPTS, missing[0]);
                        }
                    }
                    case DELETED -> throw new CliException(CliException.API_ERROR,
                            "the call's transcript was deleted while it was followed; nothing more of it is stored or streamed");
                    case BROKE_OFF -> {
                        boolean first = !reconnection.active();
                        if (!reconnection.brokeOff()) {
                            throw CliException.unreachable("the transcript stream broke off before the call ended"
                                    + (tail.reconnect().isZero() ? "" : " and could not be opened again within " + tail.reconnect().toSeconds() + " s")
                                    + " (did the transcript service stop?)");
                        }
                        if (first) {
                            err.println("(the transcript stream broke off; opening it again for up to " + tail.reconnect().toSeconds() + " s)");
                        }
                        sleep(RECONNECT_PAUSE);
                    }
                    case TOKEN_EXPIRED -> {
                        if (!api.renewToken()) {
                            throw new CliException(CliException.API_ERROR, "the token expired while following the call (it came from "
                                    + api.token().source() + "); follow it again with a fresh token");
                        }
                    }
                }
            }
        } finally {
            note.close();
        }
    }

    /** How one stream of a transcript ended; NO_SESSION: it did not open, the room has no session (404). */
    private enum StreamEnd { ENDED, DELETED, TOKEN_EXPIRED, BROKE_OFF, NO_SESSION }

    /**
     * One stream, opened again after a break: while it is broken off, the transcript service not answering (restarting)
     * or answering 503 (shutting down, its database away) is the break going on, not the end of the command.
     */
    private StreamEnd followOrBrokeOff(CliCommand.Tail tail, LiveNote note, Set<String> shown, Answer[] missing, Reconnection reconnection) {
        try {
            return follow(tail, note, shown, missing, reconnection);
        } catch (CliException e) {
            if (reconnection.active() && e.exitCode() == CliException.UNREACHABLE && !Thread.currentThread().isInterrupted()) {
                return StreamEnd.BROKE_OFF;
            }
            throw e;
        }
    }

    /** How often tail looks up an outbound call that has no session yet, and for how long at most. */
    private static final Duration CALL_POLL_INTERVAL = Duration.ofSeconds(2);
    private static final Duration CALL_WAIT_LIMIT = Duration.ofMinutes(5);
    /** How often tail opens a transcript stream that broke off again. */
    private static final Duration RECONNECT_PAUSE = Duration.ofSeconds(1);

    /**
     * Tail of a room without a session that is an outbound call still ringing (or answered while its agent joins): an
     * outbound call has no session, so no transcript, until it is answered and the agent started one. GET /v1/calls/{room}
     * on the gateway is looked up until then, and a dial that failed or ended first is reported with its reason.
     */
    private final class CallWait {
        private final String room;
        private final Instant deadline;
        private int lookups;
        private boolean announced;

        CallWait(String room, Instant deadline) {
            this.room = room;
            this.deadline = deadline;
        }

        /**
         * After a stream that ended with nothing said: when the room is an outbound call that failed before it was
         * answered, that is the answer (exit 1 with the reason), not "the call ended".
         */
        void refuseFailedDial() {
            Answer answer;
            try {
                answer = api.get(Service.GATEWAY, "/v1/calls/" + segment(room), READ_TIMEOUT);
            } catch (CliException e) {
                return; // no gateway to ask: the stream's end stands
            }
            if (answer.ok()) {
                JsonNode call = Json.parse(answer.body(), Service.GATEWAY);
                if ("FAILED".equals(call.path("state").asText(""))) {
                    throw failedBeforeAnswer(call);
                }
            }
        }

        private CliException failedBeforeAnswer(JsonNode call) {
            String why = call.hasNonNull("failure") ? Render.failure(call.path("failure")) : null;
            return new CliException(CliException.API_ERROR, "the call to " + TerminalText.field(call.path("to").asText("?"))
                    + " in room " + room + " failed before it was answered" + (why == null ? "" : ": " + why));
        }

        /**
         * Returns once the stream is worth opening again (the call's session started, or it is answered and the agent
         * joins); false when the room is no outbound call waiting for its session, so that the stream's 404 is the answer.
         */
        boolean untilSessionMayBeThere() {
            if (lookups > 0) {
                sleep(CALL_POLL_INTERVAL); // the stream was opened again too soon: the transcript service is a moment behind
                if (Instant.now().isAfter(deadline)) {
                    return false;
                }
            }
            while (true) {
                Answer answer;
                try {
                    answer = api.get(Service.GATEWAY, "/v1/calls/" + segment(room), READ_TIMEOUT);
                } catch (CliException e) {
                    if (lookups == 0) {
                        return false; // no gateway to ask (a deployment of the transcript service alone): the 404 stands
                    }
                    throw e;
                }
                lookups++;
                if (!answer.ok()) {
                    if (lookups == 1) {
                        return false; // no outbound call of that room: the 404 stands
                    }
                    throw fail(Service.GATEWAY, answer);
                }
                JsonNode call = Json.parse(answer.body(), Service.GATEWAY);
                String state = call.path("state").asText("");
                String to = TerminalText.field(call.path("to").asText("?"));
                switch (state) {
                    case "FAILED" -> throw failedBeforeAnswer(call);
                    case "ENDED" -> {
                        if (Json.text(call, "sessionId") == null) {
                            String why = Json.text(call, "endReason");
                            throw new CliException(CliException.API_ERROR, "the call to " + to + " in room " + room
                                    + " ended before its agent started a session" + (why == null ? "" : " (" + why + ")"));
                        }
                        return lookups > 1; // it had a session when first asked: its transcript is gone, the 404 stands
                    }
                    case "DIALING", "ANSWERED" -> {
                        if (!announced) {
                            announced = true;
                            err.println(TerminalText.shown("room " + room + " is an outbound call to " + to + " that "
                                    + ("DIALING".equals(state) ? "is still ringing; waiting for it to be answered"
                                    : "was answered; waiting for its agent to start the session") + " (Ctrl-C stops)"));
                        }
                        if ("ANSWERED".equals(state) && Json.text(call, "sessionId") != null) {
                            return true;
                        }
                        if (Instant.now().isAfter(deadline)) {
                            throw new CliException(CliException.API_ERROR, "the call to " + to + " in room " + room + " is still "
                                    + state + " after " + CALL_WAIT_LIMIT.toMinutes() + " min; ./switchboard calls tells how it goes");
                        }
                        sleep(CALL_POLL_INTERVAL);
                    }
                    default -> {
                        return false;
                    }
                }
            }
        }
    }

    private StreamEnd follow(CliCommand.Tail tail, LiveNote note, Set<String> shown, Answer[] missing, Reconnection reconnection) {
        HttpResponse<InputStream> response = api.stream(Service.TRANSCRIPTS, "/v1/sessions/" + segment(tail.room()) + "/transcript/stream");
        boolean reopened = !shown.isEmpty();
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                Answer answer = new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                        new String(body.readAllBytes(), StandardCharsets.UTF_8));
                if (answer.status() == 404) {
                    missing[0] = answer;
                    return StreamEnd.NO_SESSION;
                }
                if (answer.status() == 503 && reconnection.active()) {
                    return StreamEnd.BROKE_OFF;
                }
                throw fail(Service.TRANSCRIPTS, answer);
            }
            StreamEnd[] end = {StreamEnd.BROKE_OFF};
            try {
                readEvents(body, end, reconnection, reopened, note, shown);
            } catch (IOException cut) {
                // The connection of an open stream was cut (the service was killed, the network dropped): broken off, as
                // a stream that ended without the call's end is.
                return StreamEnd.BROKE_OFF;
            }
            return end[0];
        } catch (IOException e) {
            throw api.unreachable(Service.TRANSCRIPTS, e);
        }
    }

    private void readEvents(InputStream body, StreamEnd[] end, Reconnection reconnection, boolean reopened, LiveNote note,
                            Set<String> shown) throws IOException {
        ServerSentEvents.read(body, event -> {
            JsonNode data = Json.parseOrNull(event.data());
            switch (event.name()) {
                case "replayed" -> {
                    if (reconnection.replayed()) {
                        err.println("(the transcript stream is open again)");
                    }
                }
                case "end" -> end[0] = StreamEnd.ENDED;
                case "deleted" -> end[0] = StreamEnd.DELETED; // the service closes the stream after it
                case "expired" -> {
                    end[0] = StreamEnd.TOKEN_EXPIRED;
                    return false; // renewed by the caller, or reported: not an event of the call
                }
                default -> {
                    // the call's own events
                }
            }
            if (json) {
                printJson(event, data, reopened, shown);
            } else if (data != null) {
                show(event.name(), data, note, shown);
            }
            out.flush();
            return end[0] == StreamEnd.BROKE_OFF; // read on until the call ended or its transcript was deleted
        });
    }

    /** For scripts: every event as it came, but on a reopened stream not the replay of lines already final. */
    private void printJson(ServerSentEvents.Event event, JsonNode data, boolean reopened, Set<String> shown) {
        boolean segment = event.name().equals("segment") && data != null;
        if (reopened && (event.name().equals("replayed") || segment && shown.contains(data.path("segmentId").asText()))) {
            return;
        }
        if (segment && data.path("isFinal").asBoolean(false)) {
            shown.add(data.path("segmentId").asText());
        }
        ObjectNode line = Json.object().put("event", event.name()).put("id", event.id());
        if (data != null) {
            line.set("data", data);
        } else {
            line.put("data", event.data());
        }
        out.println(Json.write(line));
    }

    /** For people: each line once, when final; the end of the call. */
    private void show(String event, JsonNode data, LiveNote note, Set<String> shown) {
        switch (event) {
            case "segment" -> {
                note.live();
                if (data.path("isFinal").asBoolean(false) && shown.add(data.path("segmentId").asText())) {
                    out.println(Render.line(data));
                }
            }
            case "replayed" -> note.replayed();
            case "end" -> {
                if (shown.isEmpty()) {
                    // Nothing was said: a dial that failed before it was answered looks so too, and is reported as what it
                    // is (its reason, exit 1), not as a call that ended; said once that is ruled out.
                    endOfSilentCall = data;
                    note.holdBack();
                    return;
                }
                note.ended();
                out.println(render.ended(data));
            }
            default -> {
                // an event this version does not know: nothing to show
            }
        }
    }

    private int search(CliCommand.Search search) {
        String path = "/v1/search?q=" + query(search.query()) + "&limit=" + search.limit()
                + (search.room() == null ? "" : "&room=" + query(search.room()));
        Answer answer = api.get(Service.TRANSCRIPTS, path, READ_TIMEOUT);
        if (!answer.ok()) {
            throw fail(Service.TRANSCRIPTS, answer);
        }
        if (json) {
            print(answer.body());
        } else {
            write(TerminalText.laidOut(render.searchResults(Json.parse(answer.body(), Service.TRANSCRIPTS), search.query())));
        }
        return CliException.OK;
    }

    /**
     * An error answer: its JSON goes to standard output with --json (scripts may read the problem's members), its
     * words to standard error; a refused token also says where the token came from.
     */
    private CliException fail(Service service, Answer answer) {
        if (json && Json.parseOrNull(answer.body()) != null) {
            print(answer.body());
        }
        CliException failure = ApiClient.failure(service, answer);
        if (answer.status() == 401) {
            return new CliException(failure.exitCode(), failure.getMessage() + " (the token came from " + api.token().source()
                    + "; ./switchboard token makes one for this checkout's stack)");
        }
        return failure;
    }

    /**
     * Text ending with one line break: for people with what could steer their terminal shown as code points
     * ({@link TerminalText}); with --json as the API sent it, for the program reading it.
     */
    private void print(String text) {
        write(text == null ? "" : json ? text : TerminalText.shown(text));
    }

    private void write(String body) {
        out.print(body.endsWith("\n") ? body : body + "\n");
        out.flush();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unreachable("interrupted");
        }
    }
}
