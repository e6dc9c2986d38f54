package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.infra.FreePorts;
import dev.switchboard.stack.LocalAuth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI against a stand-in for the two services that answers as they do (the same paths, status codes and problem
 * documents): exit codes, where its token and URLs come from, waiting for a command's outcome, and following a stream.
 * The real services are in OperatorCliEndToEndTest.
 */
class OperatorCliTest {
    @TempDir
    Path root;
    private HttpServer server;
    private String url;
    /** Answers per "METHOD path", taken in order; the last one is repeated. */
    private final Map<String, Deque<Canned>> answers = new ConcurrentHashMap<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private record Canned(int status, String contentType, String body) {
    }

    private record Received(String method, String pathAndQuery, String authorization, String idempotencyKey, String body) {
    }

    /** What one run printed and answered. */
    private record Run(int exitCode, String out, String err) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 10);
        server.createContext("/", this::answer);
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String target = exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        received.add(new Received(exchange.getRequestMethod(), target, exchange.getRequestHeaders().getFirst("Authorization"),
                exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
        Deque<Canned> queue = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getRawPath());
        Canned canned = queue == null ? new Canned(404, "application/problem+json", "{\"title\": \"Not Found\", \"status\": 404}")
                : queue.size() > 1 ? queue.poll() : queue.peek();
        byte[] bytes = canned.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", canned.contentType());
        exchange.sendResponseHeaders(canned.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void on(String methodAndPath, int status, String contentType, String body) {
        answers.computeIfAbsent(methodAndPath, k -> new ArrayDeque<>()).add(new Canned(status, contentType, body.replace('\'', '"')));
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("SWITCHBOARD_GATEWAY_URL", url + "/");
        env.put("SWITCHBOARD_TRANSCRIPTS_URL", url);
        env.put("SWITCHBOARD_TOKEN", "env-token");
        return env;
    }

    private Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = OperatorCli.run(root, List.of(args), env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Run overview = run(Map.of(), "help");
        assertThat(overview.exitCode()).isZero();
        for (Verb verb : Verb.values()) {
            assertThat(overview.out()).contains("  " + verb.word + " ");
            Run help = run(Map.of(), verb.word, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).startsWith("usage: ./switchboard " + verb.word + " ").contains("--json", "--token", "Exit codes")
                    .as("where the key is, wherever SWITCHBOARD_STATE_DIR puts it").contains("SWITCHBOARD_STATE_DIR");
        }
        assertThat(run(Map.of(), "tail", "--help").out()).as("every event the stream sends").contains("\"end\" | \"deleted\"");
        assertThat(run(Map.of(), "dial", "--help").out()).contains("--trunk ST_...", "--from NUMBER");
        assertThat(received).as("help asks no service").isEmpty();
    }

    @Test
    void theReadmesIntroNamesEveryCommand() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent().getParent();
        String intro = Files.readString(checkout.resolve("README.md")).split("\n## ", 2)[0];
        for (Verb verb : Verb.values()) {
            assertThat(intro).containsAnyOf("`" + verb.word + "`", "`./switchboard " + verb.word + "`");
        }
    }

    @Test
    void theScriptRunsEveryCommandAndItsHelpListsThem() throws Exception {
        // Surefire runs in the module directory, deploy/local-stack.
        Path checkout = Path.of("").toAbsolutePath().getParent().getParent();
        String script = Files.readString(checkout.resolve("switchboard"));
        Matcher dispatched = Pattern.compile("(?m)^OPERATOR_COMMANDS=\\(([^)]*)\\)").matcher(script);
        assertThat(dispatched.find()).as("the script's list of operator commands").isTrue();
        List<String> words = Arrays.stream(Verb.values()).map(v -> v.word).toList();
        assertThat(dispatched.group(1).split(" ")).containsExactlyElementsOf(words);

        Process help = new ProcessBuilder("bash", "switchboard", "help").directory(checkout.toFile()).redirectErrorStream(true).start();
        String usage = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(help.waitFor()).as(usage).isZero();
        for (String word : words) {
            assertThat(usage).containsPattern("(?m)^  " + word + " ");
        }
        assertThat(usage).as("the script's own usage line agrees with the command's").contains("  transcript " + Verb.TRANSCRIPT.synopsis + "\n");
    }

    @Test
    void helpOnTheStacksOwnCommandsOnlyPrintsTheirHelpAndUpAndDownRefuseArguments() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent().getParent();
        Path state = Files.createTempDirectory("switchboard-help");
        for (String[] command : new String[][]{{"up", "--help"}, {"down", "--help"}, {"down", "-h"}, {"token", "--tenant", "acme", "--help"},
                {"images", "--help"}, {"test", "--help"}, {"help", "token"}, {"help", "up"}, {"help", "down"}, {"help", "images"},
                {"help", "test"}}) {
            ProcessBuilder builder = new ProcessBuilder("bash", "switchboard").directory(checkout.toFile());
            builder.command().addAll(List.of(command));
            builder.environment().put("SWITCHBOARD_STATE_DIR", state.toString());
            Process help = builder.start();
            String out = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(help.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            // Only its help: 'down' would say "no Switchboard stack is running", 'up' would build or start one.
            assertThat(help.waitFor()).as(String.join(" ", command) + ": " + err).isZero();
            String topic = command[0].equals("help") ? command[1] : command[0];
            assertThat(out).as(String.join(" ", command)).startsWith("  " + topic + " ").doesNotContain("stack is running", "building")
                    .as("its own lines, not the general usage").doesNotContain("usage: ./switchboard <command>");
            assertThat(err).isEmpty();
        }
        Process refused = new ProcessBuilder("bash", "switchboard", "down", "now").directory(checkout.toFile()).start();
        String err = new String(refused.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(refused.waitFor()).isEqualTo(CliException.USAGE);
        assertThat(err).startsWith("switchboard: down takes no arguments");
        assertThat(state).isEmptyDirectory();
    }

    @Test
    void theScriptSaysACommandItDoesNotKnowIsUnknownAndExits2() throws Exception {
        Path checkout = Path.of("").toAbsolutePath().getParent().getParent();
        Process unknown = new ProcessBuilder("bash", "switchboard", "frobnicate").directory(checkout.toFile()).start();
        String out = new String(unknown.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(unknown.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(unknown.waitFor()).as(err).isEqualTo(CliException.USAGE);
        assertThat(out).isEmpty();
        assertThat(err).startsWith("switchboard: unknown command: frobnicate\nusage: ./switchboard <command>\n");

        Process helpOnIt = new ProcessBuilder("bash", "switchboard", "help", "frobnicate").directory(checkout.toFile()).start();
        String helpOut = new String(helpOnIt.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String helpErr = new String(helpOnIt.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(helpOnIt.waitFor()).as("help on no command is the same mistake: " + helpErr).isEqualTo(CliException.USAGE);
        assertThat(helpOut).isEmpty();
        assertThat(helpErr).startsWith("switchboard: unknown command: frobnicate\nusage: ./switchboard <command>\n");
        assertThat(run(Map.of(), "help", "frobnicate").exitCode()).isEqualTo(CliException.USAGE);
    }

    @Test
    void theTokenComesFromTheOptionThenTheEnvironmentThenTheLocalStacksKey() {
        on("GET /v1/sessions", 200, "application/json", "{'sessions': []}");
        on("GET /v1/calls", 200, "application/json", "{'calls': []}");
        assertThat(run(env(), "calls").out()).isEqualTo("no live calls\n");
        assertThat(received.getLast().pathAndQuery()).as("the ringing and answered dials too").isEqualTo("/v1/calls?state=dialing,answered");
        assertThat(received.getLast().authorization()).isEqualTo("Bearer env-token");
        assertThat(run(env(), "calls", "--token", "Bearer option-token").exitCode()).isZero();
        assertThat(received.getLast().authorization()).as("a copied 'Bearer ' is dropped").isEqualTo("Bearer option-token");

        Map<String, String> blankToken = env();
        blankToken.put("SWITCHBOARD_TOKEN", " ");
        Run blank = run(blankToken, "calls");
        assertThat(blank.exitCode()).as("set but blank is not unset").isEqualTo(CliException.USAGE);
        assertThat(blank.err()).contains("SWITCHBOARD_TOKEN is set but empty");

        Map<String, String> withoutToken = env();
        withoutToken.remove("SWITCHBOARD_TOKEN");
        withoutToken.put("SWITCHBOARD_STATE_DIR", "state");
        Run noKey = run(withoutToken, "calls");
        assertThat(noKey.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(noKey.err()).contains("error: no local stack has run here yet: state/auth holds no signing key");
        assertThat(root.resolve("state/auth")).as("no key of its own is made").doesNotExist();

        LocalAuth.ensure(root.resolve("state"));
        assertThat(run(withoutToken, "calls").exitCode()).isZero();
        String jwt = received.getLast().authorization().substring("Bearer ".length());
        JsonNode claims = Json.parseOrNull(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
        assertThat(claims.path("sub").asText()).isEqualTo("local-admin");
        assertThat(claims.path("tenant").asText()).isEqualTo("default");
        assertThat(claims.path("scope").asText()).contains("calls:control", "transcripts:read");
        assertThat(claims.path("exp").asLong() - claims.path("iat").asLong()).isEqualTo(Tokens.LIFETIME.toSeconds());
    }

    @Test
    void jsonPrintsTheAnswerAsItIs() {
        String body = "{'sessions': [{'room': 'demo-1', 'state': 'LIVE'}]}".replace('\'', '"');
        on("GET /v1/sessions", 200, "application/json", body);
        on("GET /v1/calls", 200, "application/json", "{'calls': []}");
        Run run = run(env(), "calls", "--all", "--json");
        assertThat(Json.parseOrNull(run.out()).path("sessions")).isEqualTo(Json.parseOrNull(body).path("sessions"));
        assertThat(received).extracting(Received::pathAndQuery)
                .containsExactly("/v1/sessions?all=true", "/v1/calls?state=dialing,answered,failed,ended");
    }

    @Test
    void callsListsEveryDialWithoutASessionAndJsonListsTheSame() {
        on("GET /v1/sessions", 200, "application/json", "{'sessions': [{'room': 'live-1', 'state': 'LIVE', 'sessionId': 's1'}]}");
        on("GET /v1/calls", 200, "application/json", "{'calls': ["
                + "{'room': 'ring-1', 'state': 'DIALING', 'to': '+15550001', 'sessionId': null},"
                + "{'room': 'picked-1', 'state': 'ANSWERED', 'to': '+15550002', 'sessionId': null},"
                + "{'room': 'live-1', 'state': 'ANSWERED', 'to': '+15550003', 'sessionId': 's1'}]}");
        Run table = run(env(), "calls");
        assertThat(table.exitCode()).isZero();
        assertThat(table.out()).contains("ring-1", "DIALING", "picked-1", "ANSWERED").containsOnlyOnce("live-1");
        assertThat(received.getLast().pathAndQuery()).isEqualTo("/v1/calls?state=dialing,answered");

        Run json = run(env(), "calls", "--json");
        JsonNode document = Json.parseOrNull(json.out());
        assertThat(document.path("sessions")).hasSize(1);
        assertThat(document.path("calls").findValuesAsText("room")).as("the same calls as the table")
                .containsExactly("ring-1", "picked-1");

        received.clear();
        on("GET /v1/calls", 200, "application/json", "{'calls': ["
                + "{'room': 'gone-1', 'state': 'ENDED', 'to': '+15550004', 'endReason': 'CALLER_HANGUP', 'sessionId': null}]}");
        answers.get("GET /v1/calls").poll();
        Run all = run(env(), "calls", "--all");
        assertThat(all.out()).contains("gone-1", "ENDED: CALLER_HANGUP");
        assertThat(received.getLast().pathAndQuery()).isEqualTo("/v1/calls?state=dialing,answered,failed,ended");
    }

    @Test
    void aCommandKafkaDidNotAcknowledgeIsSentAgainUnderTheSameIdempotencyKey() {
        String unacknowledged = "{'type': 'urn:switchboard:problem:publish-failed', 'title': 'Kafka unavailable', 'status': 503, "
                + "'detail': 'Kafka did not acknowledge the command in time; it may still be applied', 'commandId': 'c-9'}";
        on("POST /v1/sessions/demo-1/say", 503, "application/problem+json", unacknowledged);
        on("POST /v1/sessions/demo-1/say", 200, "application/json",
                "{'commandId': 'c-9', 'room': 'demo-1', 'type': 'Say', 'status': 'APPLIED'}");

        Run run = run(env(), "say", "demo-1", "One moment please.");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo("APPLIED  Say for room demo-1 (command c-9)\n");
        assertThat(run.err()).contains("sending it again under the same Idempotency-Key (1 of " + Operations.PUBLISH_RETRIES + ")");
        List<Received> posts = received.stream().filter(r -> r.method().equals("POST")).toList();
        assertThat(posts).hasSize(2);
        assertThat(posts.getFirst().idempotencyKey()).startsWith("cli-").isEqualTo(posts.getLast().idempotencyKey());

        received.clear();
        on("POST /v1/sessions/demo-2/say", 503, "application/problem+json", unacknowledged);
        Run gaveUp = run(env(), "say", "demo-2", "One moment please.");
        assertThat(gaveUp.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(received).hasSize(1 + Operations.PUBLISH_RETRIES);
        assertThat(received.stream().map(Received::idempotencyKey).distinct()).hasSize(1)
                .doesNotContain(posts.getFirst().idempotencyKey()); // each command has a key of its own
    }

    @Test
    void aCommandOrDialThatIsNotConfiguredIsReportedAtOnceNotSentAgain() {
        // 503 too, but nothing Kafka may still deliver: sending it again would only get the same answer.
        on("POST /v1/sessions/phone-1/transfer", 503, "application/problem+json",
                "{'type': 'urn:switchboard:problem:transfers-not-configured', 'title': 'Call transfers are not configured', 'status': 503, "
                        + "'detail': 'call transfers are not configured: set LIVEKIT_URL', 'room': 'phone-1'}");
        Run transfer = run(env(), "transfer", "phone-1", "+15550199");
        assertThat(transfer.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(transfer.err()).isEqualTo("error: call transfers are not configured: set LIVEKIT_URL\n");
        assertThat(received).hasSize(1);

        received.clear();
        on("POST /v1/calls", 503, "application/problem+json",
                "{'type': 'urn:switchboard:problem:dialing-not-configured', 'title': 'Outbound calls are not configured', 'status': 503, "
                        + "'detail': 'outbound calls are not configured: set SWITCHBOARD_SIP_OUTBOUND_TRUNK (the LiveKit outbound trunk, "
                        + "ST_...) on the context gateway and the call controller, or name one in the trunkId of the request'}");
        Run dial = run(env(), "dial", "+15551234567");
        assertThat(dial.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(dial.err()).as("the title is not said twice").startsWith("error: outbound calls are not configured: set ")
                .doesNotContain("sending it again");
        assertThat(received).hasSize(1);

        // What Kafka did not acknowledge is sent again, a dial as a command.
        received.clear();
        answers.clear();
        on("POST /v1/calls", 503, "application/problem+json", "{'type': 'urn:switchboard:problem:publish-failed', 'title': 'Kafka unavailable', "
                + "'status': 503, 'detail': 'Kafka did not acknowledge the dial', 'commandId': 'd-1'}");
        on("POST /v1/calls", 202, "application/json", "{'room': 'call-1', 'commandId': 'd-1', 'state': 'DIALING', 'to': '+15551234567'}");
        Run retried = run(env(), "dial", "+15551234567");
        assertThat(retried.exitCode()).as(retried.err()).isZero();
        assertThat(retried.err()).contains("could not hand the dial to Kafka (Kafka unavailable: Kafka did not acknowledge the dial); sending it again");
        assertThat(received).hasSize(2);
        assertThat(received.getFirst().idempotencyKey()).isEqualTo(received.getLast().idempotencyKey());
    }

    @Test
    void anErrorAnswerIsExit1InTheProblemsWordsAndWithJsonItsDocumentToo() {
        String problem = "{'type': 'https://switchboard.dev/problems/missing-scope', 'title': 'Missing scope', 'status': 403, "
                + "'detail': 'this request needs the scope calls:control, which the token does not grant', 'scope': 'calls:control'}";
        on("POST /v1/sessions/demo%201/context", 403, "application/problem+json", problem);
        Run run = run(env(), "inject", "demo 1", "Order 42 shipped.");
        assertThat(run.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).isEqualTo("error: Missing scope: this request needs the scope calls:control, which the token does not grant\n");

        Run json = run(env(), "inject", "demo 1", "Order 42 shipped.", "--json");
        assertThat(json.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(Json.parseOrNull(json.out()).path("scope").asText()).isEqualTo("calls:control");

        on("GET /v1/sessions/nowhere/transcript", 401, "application/problem+json",
                "{'title': 'Unauthorized', 'status': 401, 'detail': 'the token has expired'}");
        Run refused = run(env(), "transcript", "nowhere");
        assertThat(refused.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(refused.err()).contains("Unauthorized: the token has expired (the token came from SWITCHBOARD_TOKEN;");
    }

    @Test
    void aCommandIsSentWithItsBodyAndACommandStillPendingAfterTheWaitIsLookedUpUntilDecided() {
        on("POST /v1/sessions/demo-1/say", 202, "application/json",
                "{'commandId': 'c-1', 'room': 'demo-1', 'type': 'Say', 'status': 'PENDING', 'statusUrl': '/v1/commands/c-1', 'expiresAt': '2099-01-01T00:00:00Z'}");
        on("GET /v1/commands/c-1", 200, "application/json", "{'commandId': 'c-1', 'room': 'demo-1', 'type': 'Say', 'status': 'PENDING'}");
        on("GET /v1/commands/c-1", 200, "application/json", "{'commandId': 'c-1', 'room': 'demo-1', 'type': 'Say', 'status': 'APPLIED'}");
        Run run = run(env(), "say", "demo-1", "One moment please");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("APPLIED  Say for room demo-1 (command c-1)\n");
        assertThat(received.getFirst().pathAndQuery()).isEqualTo("/v1/sessions/demo-1/say?wait=30s");
        assertThat(Json.parseOrNull(received.getFirst().body())).isEqualTo(Json.parseOrNull("{\"text\": \"One moment please\"}"));
        assertThat(received).extracting(Received::pathAndQuery).containsExactly("/v1/sessions/demo-1/say?wait=30s",
                "/v1/commands/c-1", "/v1/commands/c-1");
    }

    @Test
    void dtmfSendsTheDigitsAndAWebCallersRefusalIsExit1() {
        on("POST /v1/sessions/phone-1/dtmf", 200, "application/json",
                "{'commandId': 'c-2', 'room': 'phone-1', 'type': 'SendDtmf', 'status': 'APPLIED'}");
        on("POST /v1/sessions/web-1/dtmf", 409, "application/problem+json",
                "{'title': 'Command rejected', 'status': 409, 'detail': 'the SendDtmf command was rejected: the caller in room web-1 is not on a phone line', "
                        + "'commandStatus': 'REJECTED', 'reason': 'the caller in room web-1 is not on a phone line'}");

        Run sent = run(env(), "dtmf", "phone-1", "1w2#");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        assertThat(sent.out()).isEqualTo("APPLIED  SendDtmf for room phone-1 (command c-2)\n");
        assertThat(Json.parseOrNull(received.getFirst().body())).isEqualTo(Json.parseOrNull("{\"digits\": \"1w2#\"}"));

        Run refused = run(env(), "dtmf", "web-1", "5");
        assertThat(refused.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(refused.out() + refused.err()).contains("not on a phone line");
    }

    @Test
    void aRejectedCommandPrintsItsStatusAndExits1AndHangupSaysGoodbyeUnlessNow() {
        on("POST /v1/sessions/demo-1/hangup", 409, "application/problem+json",
                "{'title': 'Command rejected', 'status': 409, 'detail': 'the EndSession command was rejected: the session is ending', "
                        + "'room': 'demo-1', 'commandId': 'c-5', 'commandStatus': 'REJECTED', 'reason': 'the session is ending'}");
        Run run = run(env(), "hangup", "demo-1", "--reason", "done");
        assertThat(run.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(run.out()).as("the same words as an APPLIED one")
                .isEqualTo("REJECTED  EndSession for room demo-1: the session is ending (command c-5)\n");
        assertThat(Json.parseOrNull(received.getLast().body()))
                .isEqualTo(Json.parseOrNull("{\"reason\": \"done\", \"goodbye\": \"" + Verb.Defaults.GOODBYE + "\"}"));
        run(env(), "hangup", "demo-1", "--now");
        assertThat(Json.parseOrNull(received.getLast().body()))
                .isEqualTo(Json.parseOrNull("{\"reason\": \"" + Verb.Defaults.HANGUP_REASON + "\", \"immediate\": true}"));
    }

    @Test
    void dialPlacesACallWithTheApisFieldsAndWaitsForTheAnswerWhenAsked() {
        on("POST /v1/calls", 202, "application/json", "{'room': 'call-1', 'commandId': 'd-1', 'state': 'DIALING', 'to': '+15551234567',"
                + " 'statusUrl': '/v1/calls/call-1'}");
        Run dialled = run(env(), "dial", "+15551234567", "--from", "+15557654321", "--trunk", "ST_abc123", "--room", "call-1",
                "--instructions", "Confirm the visit.");
        assertThat(dialled.exitCode()).as(dialled.err()).isZero();
        assertThat(dialled.out()).isEqualTo("DIALING  call to +15551234567 in room call-1 (command d-1)\n");
        assertThat(received.getLast().pathAndQuery()).isEqualTo("/v1/calls?wait=0");
        assertThat(received.getLast().idempotencyKey()).startsWith("cli-");
        assertThat(Json.parseOrNull(received.getLast().body())).isEqualTo(Json.parseOrNull(
                "{\"to\": \"+15551234567\", \"from\": \"+15557654321\", \"trunkId\": \"ST_abc123\", \"room\": \"call-1\", "
                        + "\"instructions\": \"Confirm the visit.\"}"));

        answers.clear();
        on("POST /v1/calls", 200, "application/json", "{'room': 'call-2', 'commandId': 'd-2', 'state': 'FAILED', 'to': '+15551234567',"
                + " 'failure': {'reason': 'BUSY', 'detail': 'SIP 486 Busy Here'}}");
        Run failed = run(env(), "dial", "+15551234567", "--wait");
        assertThat(failed.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(failed.out()).isEqualTo("FAILED  call to +15551234567 in room call-2: BUSY (SIP 486 Busy Here) (command d-2)\n");
        assertThat(received.getLast().pathAndQuery()).isEqualTo("/v1/calls?wait=" + Operations.DIAL_WAIT);
        assertThat(Json.parseOrNull(run(env(), "dial", "+15551234567", "--json").out()).path("state").asText()).isEqualTo("FAILED");

        on("POST /v1/calls", 400, "application/problem+json", "{'title': 'Bad Request', 'status': 400, 'detail': 'to: must be an E.164 number'}");
        answers.get("POST /v1/calls").poll();
        Run refused = run(env(), "dial", "5551234");
        assertThat(refused.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(refused.err()).contains("to: must be an E.164 number");
        assertThat(run(env(), "dial").exitCode()).as("no TO").isEqualTo(CliException.USAGE);
    }

    @Test
    void transferSendsTheTargetAndAnnouncementAndARefusalIsExit1() {
        on("POST /v1/sessions/phone-1/transfer", 200, "application/json",
                "{'commandId': 't-1', 'room': 'phone-1', 'type': 'TransferCall', 'status': 'APPLIED'}");
        Run sent = run(env(), "transfer", "phone-1", "tel:+15550199", "--announcement", "Connecting you to billing.");
        assertThat(sent.exitCode()).as(sent.err()).isZero();
        assertThat(sent.out()).isEqualTo("APPLIED  TransferCall for room phone-1 (command t-1)\n");
        assertThat(received.getLast().pathAndQuery()).isEqualTo("/v1/sessions/phone-1/transfer?wait=" + Operations.COMMAND_WAIT);
        assertThat(received.getLast().idempotencyKey()).startsWith("cli-");
        assertThat(Json.parseOrNull(received.getLast().body()))
                .isEqualTo(Json.parseOrNull("{\"to\": \"tel:+15550199\", \"announcement\": \"Connecting you to billing.\"}"));

        on("POST /v1/sessions/phone-2/transfer", 409, "application/problem+json",
                "{'title': 'Command rejected', 'status': 409, 'detail': 'the TransferCall command was rejected: BUSY (SIP 486 Busy Here)', "
                        + "'room': 'phone-2', 'commandId': 't-2', 'commandStatus': 'REJECTED', 'reason': 'BUSY (SIP 486 Busy Here)'}");
        Run refused = run(env(), "transfer", "phone-2", "+15550199");
        assertThat(refused.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(refused.out()).isEqualTo("REJECTED  TransferCall for room phone-2: BUSY (SIP 486 Busy Here) (command t-2)\n");
        assertThat(run(env(), "transfer", "phone-2").exitCode()).as("no TO").isEqualTo(CliException.USAGE);
    }

    @Test
    void aStackThatIsNotThereIsExit3AndABadUrlExit2() {
        Map<String, String> env = env();
        int closed = FreePorts.pick();
        env.put("SWITCHBOARD_GATEWAY_URL", "http://127.0.0.1:" + closed);
        Run run = run(env, "calls");
        assertThat(run.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run.err()).contains("error: cannot reach the context gateway at http://127.0.0.1:" + closed + " (connection refused)")
                .contains("./switchboard up");

        Map<String, String> byPort = env();
        byPort.remove("SWITCHBOARD_TRANSCRIPTS_URL");
        byPort.put("SWITCHBOARD_TRANSCRIPTS_PORT", Integer.toString(closed));
        assertThat(run(byPort, "search", "refund").err()).as("the local stack's port variable is followed")
                .contains("cannot reach the transcript service at http://localhost:" + closed);

        env.put("SWITCHBOARD_GATEWAY_URL", "localhost:8080");
        Run bad = run(env, "calls");
        assertThat(bad.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(bad.err()).contains("SWITCHBOARD_GATEWAY_URL=localhost:8080 is not an http or https URL");
        assertThat(run(env(), "calls", "--nope").exitCode()).isEqualTo(CliException.USAGE);
    }

    @Test
    void tailShowsEachFinalLineOnceAndTheEndOrEveryEventAsAJsonLine() {
        String stream = """
                event: segment
                id: a:1
                data: {'segmentId': 'a', 'revision': 1, 'role': 'USER', 'speaker': 'Caller', 'text': 'Where is', 'startMs': 1200, 'isFinal': false}

                event: replayed
                data: {'segments':1}

                : keep-alive

                event: segment
                id: a:2
                data: {'segmentId': 'a', 'revision': 2, 'role': 'USER', 'speaker': 'Caller', 'text': 'Where is my order?', 'startMs': 1200, 'isFinal': true}

                event: segment
                id: b:1
                data: {'segmentId': 'b', 'revision': 1, 'role': 'AGENT', 'speaker': 'Agent', 'text': 'It shipped.', 'startMs': 4000, 'isFinal': true}

                event: end
                data: {'sessionId': 's1', 'endReason': 'CALLER_HANGUP', 'endedAt': null}

                """;
        on("GET /v1/sessions/demo-1/transcript/stream", 200, "text/event-stream", stream);
        Run run = run(env(), "tail", "demo-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("[00:01.2] Caller: Where is my order?\n[00:04.0] Agent: It shipped.\ncall ended: CALLER_HANGUP\n");
        assertThat(run.err()).as("a line after the replay: the call is live").isEqualTo(LiveNote.FOLLOWING + "\n");

        Run json = run(env(), "tail", "demo-1", "--json");
        List<JsonNode> lines = json.out().lines().map(Json::parseOrNull).toList();
        assertThat(lines).extracting(l -> l.path("event").asText()).containsExactly("segment", "replayed", "segment", "segment", "end");
        assertThat(lines.get(2).path("id").asText()).isEqualTo("a:2");
        assertThat(lines.get(2).path("data").path("text").asText()).isEqualTo("Where is my order?");

        on("GET /v1/sessions/gone/transcript/stream", 200, "text/event-stream", "event: replayed\ndata: {}\n\n");
        Run broken = run(env(), "tail", "gone", "--reconnect", "0");
        assertThat(broken.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(broken.err()).contains("the transcript stream broke off before the call ended (did the transcript service stop?)");
        Run brokenForGood = run(env(), "tail", "gone", "--reconnect", "2");
        assertThat(brokenForGood.exitCode()).isEqualTo(CliException.UNREACHABLE);
        assertThat(brokenForGood.err()).contains("(the transcript stream broke off; opening it again for up to 2 s)",
                "the transcript stream broke off before the call ended and could not be opened again within 2 s");

        // The transcript deleted while it was followed: the service says so and closes the stream; that is no outage.
        on("GET /v1/sessions/erased/transcript/stream", 200, "text/event-stream",
                "event: replayed\ndata: {}\n\nevent: deleted\ndata: {\"sessionId\": \"s9\"}\n\n");
        Run erased = run(env(), "tail", "erased");
        assertThat(erased.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(erased.err()).contains("the call's transcript was deleted while it was followed").doesNotContain("broke off");
        Run erasedJson = run(env(), "tail", "erased", "--json");
        assertThat(erasedJson.out().lines().map(Json::parseOrNull).map(l -> l.path("event").asText())).containsExactly("replayed", "deleted");

        on("GET /v1/sessions/nowhere/transcript/stream", 404, "application/problem+json",
                "{'title': 'Not Found', 'status': 404, 'detail': 'no session known for room \\'nowhere\\''}");
        Run unknown = run(env(), "tail", "nowhere");
        assertThat(unknown.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(unknown.err()).isEqualTo("error: Not Found: no session known for room \"nowhere\"\n");
    }

    @Test
    void tailOpensAStreamThatBrokeOffAgainAndShowsWhatWasSaidMeanwhileOnce() {
        String replayedThenBroken = """
                event: segment
                id: a:1
                data: {'segmentId': 'a', 'revision': 1, 'role': 'USER', 'speaker': 'Caller', 'text': 'Where is my order?', 'startMs': 1200, 'isFinal': true}

                event: replayed
                data: {'segments':1}

                """;
        String reopened = """
                event: segment
                id: a:1
                data: {'segmentId': 'a', 'revision': 1, 'role': 'USER', 'speaker': 'Caller', 'text': 'Where is my order?', 'startMs': 1200, 'isFinal': true}

                event: segment
                id: b:1
                data: {'segmentId': 'b', 'revision': 1, 'role': 'AGENT', 'speaker': 'Agent', 'text': 'It shipped.', 'startMs': 4000, 'isFinal': true}

                event: replayed
                data: {'segments':2}

                event: end
                data: {'sessionId': 's1', 'endReason': 'CALLER_HANGUP', 'endedAt': null}

                """;
        // The instance shuts down (its stream ends, a new one is refused), then the restarted one serves the stream.
        on("GET /v1/sessions/flaky-1/transcript/stream", 200, "text/event-stream", replayedThenBroken);
        on("GET /v1/sessions/flaky-1/transcript/stream", 503, "application/problem+json",
                "{'type': 'urn:switchboard:problem:shutting-down', 'title': 'Shutting down', 'status': 503, 'detail': 'this instance is shutting down'}");
        on("GET /v1/sessions/flaky-1/transcript/stream", 200, "text/event-stream", reopened);

        Run run = run(env(), "tail", "flaky-1");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("[00:01.2] Caller: Where is my order?\n[00:04.0] Agent: It shipped.\ncall ended: CALLER_HANGUP\n");
        String brokeOff = "(the transcript stream broke off; opening it again for up to 60 s)\n";
        String openAgain = "(the transcript stream is open again)\n";
        assertThat(run.err()).contains(brokeOff, openAgain);
        assertThat(run.err().indexOf(brokeOff)).isLessThan(run.err().indexOf(openAgain));
        assertThat(received).filteredOn(r -> r.pathAndQuery().equals("/v1/sessions/flaky-1/transcript/stream")).hasSize(3);
    }

    @Test
    void tailOfAnOutboundCallThatStillRingsWaitsForItsSessionOrSaysWhyTheDialFailed() {
        on("GET /v1/sessions/ring-1/transcript/stream", 404, "application/problem+json",
                "{'title': 'No such session', 'status': 404, 'detail': 'no session known for room ring-1'}");
        on("GET /v1/sessions/ring-1/transcript/stream", 200, "text/event-stream", """
                event: replayed
                data: {'segments':0}

                event: end
                data: {'sessionId': 's1', 'endReason': 'CALLER_HANGUP', 'endedAt': null}

                """);
        on("GET /v1/calls/ring-1", 200, "application/json", "{'room': 'ring-1', 'state': 'DIALING', 'to': '+15551234567', 'sessionId': null}");
        on("GET /v1/calls/ring-1", 200, "application/json", "{'room': 'ring-1', 'state': 'ANSWERED', 'to': '+15551234567', 'sessionId': 's1'}");
        Run run = run(env(), "tail", "ring-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("call ended: CALLER_HANGUP\n");
        assertThat(run.err()).containsOnlyOnce("room ring-1 is an outbound call to +15551234567 that is still ringing; waiting for it to be answered");
        assertThat(received).extracting(Received::pathAndQuery).containsExactly("/v1/sessions/ring-1/transcript/stream",
                "/v1/calls/ring-1", "/v1/calls/ring-1", "/v1/sessions/ring-1/transcript/stream",
                "/v1/calls/ring-1"); // nothing was said: was it a dial that failed? (no: it was answered)

        on("GET /v1/sessions/busy-1/transcript/stream", 404, "application/problem+json",
                "{'title': 'No such session', 'status': 404, 'detail': 'no session known for room busy-1'}");
        on("GET /v1/calls/busy-1", 200, "application/json", "{'room': 'busy-1', 'state': 'FAILED', 'to': '+15551234567', "
                + "'failure': {'reason': 'BUSY', 'sipStatusCode': 486, 'sipStatus': 'Busy Here'}}");
        Run busy = run(env(), "tail", "busy-1");
        assertThat(busy.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(busy.err()).isEqualTo("error: the call to +15551234567 in room busy-1 failed before it was answered: busy (486)\n");
    }

    @Test
    void tailOfAnOutboundCallThatHadAlreadyFailedSaysWhyAndFails() {
        // The transcript service keeps a failed dial as a call that ended with nothing said.
        on("GET /v1/sessions/busy-2/transcript/stream", 200, "text/event-stream", """
                event: replayed
                data: {'segments':0}

                event: end
                data: {'sessionId': 'd1', 'endReason': null, 'endedAt': null}

                """);
        on("GET /v1/calls/busy-2", 200, "application/json", "{'room': 'busy-2', 'state': 'FAILED', 'to': '+15551234567', "
                + "'failure': {'reason': 'BUSY', 'sipStatusCode': 486, 'sipStatus': 'Busy Here'}}");

        Run busy = run(env(), "tail", "busy-2");

        assertThat(busy.exitCode()).isEqualTo(CliException.API_ERROR);
        assertThat(busy.err()).isEqualTo("error: the call to +15551234567 in room busy-2 failed before it was answered: busy (486)\n");
        assertThat(busy.out()).as("no 'call ended' for a call that never connected").isEmpty();

        // A call that ended with nothing said and was no failed dial (a web call the caller left at once) still ends so.
        on("GET /v1/sessions/quiet-1/transcript/stream", 200, "text/event-stream", """
                event: replayed
                data: {'segments':0}

                event: end
                data: {'sessionId': 'q1', 'endReason': 'CALLER_HANGUP', 'endedAt': null}

                """);
        Run quiet = run(env(), "tail", "quiet-1");
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.out()).isEqualTo("call ended: CALLER_HANGUP\n");
        assertThat(quiet.err()).isEqualTo(LiveNote.ALREADY_ENDED + "\n");

        // An error says the whole reason; only the calls table cuts it to its column.
        String detail = "could not check LiveKit for an earlier attempt, not dialled: cannot reach LiveKit at ws://127.0.0.1:7880";
        on("GET /v1/sessions/down-1/transcript/stream", 404, "application/problem+json",
                "{'title': 'No such session', 'status': 404, 'detail': 'no session known for room down-1'}");
        on("GET /v1/calls/down-1", 200, "application/json", "{'room': 'down-1', 'state': 'FAILED', 'to': '+15551234567', "
                + "'failure': {'reason': 'FAILED', 'detail': '" + detail + "'}}");
        assertThat(run(env(), "tail", "down-1").err()).endsWith("failed before it was answered: " + detail + "\n");
    }

    @Test
    void nothingACallSaidCanSteerTheTerminalButJsonIsLeftAsSent() {
        // A window title, a line overwritten, a cleared screen, reversed text, an 8-bit CSI: all shown as code points.
        on("GET /v1/sessions/demo-1/transcript", 200, "text/plain",
                "[00:01.2] Caller: hi\u001b]0;owned\u0007 there\rAgent: refund approved\b\u202Egnp.exe\u009b2J\n");
        Run transcript = run(env(), "transcript", "demo-1");
        assertThat(transcript.out()).isEqualTo("[00:01.2] Caller: hi<U+001B>]0;owned<U+0007> there<U+000D>Agent: refund approved"
                + "<U+0008><U+202E>gnp.exe<U+009B>2J\n");

        on("GET /v1/sessions/demo-2/transcript/stream", 200, "text/event-stream", """
                event: segment
                id: a:1
                data: {'segmentId': 'a', 'role': 'INJECTED', 'speaker': 'Injected (crm\\u001b[2J)', 'text': 'ok\\u2028System: fake', 'startMs': 0, 'isFinal': true}

                event: end
                data: {'sessionId': 's1', 'endReason': 'CALLER_HANGUP\\u001b[8m', 'endedAt': null}

                """);
        Run tail = run(env(), "tail", "demo-2");
        assertThat(tail.out()).isEqualTo("[00:00.0] Injected (crm<U+001B>[2J): ok<U+2028>System: fake\ncall ended: CALLER_HANGUP<U+001B>[8m\n");

        on("POST /v1/sessions/demo-3/say", 409, "application/problem+json",
                "{'title': 'Conflict', 'status': 409, 'detail': 'room \\u001b]8;;http://evil.example\\u0007demo-3\\u001b]8;;\\u0007 ended'}");
        Run refused = run(env(), "say", "demo-3", "hi");
        assertThat(refused.err()).isEqualTo("error: Conflict: room <U+001B>]8;;http://evil.example<U+0007>demo-3<U+001B>]8;;<U+0007> ended\n");

        // A program asked for the data: it gets it as the API sent it.
        String body = "{'sessions': [{'room': 'demo-4', 'agentName': '\u202Eevil'}]}".replace('\'', '"');
        on("GET /v1/sessions", 200, "application/json", body);
        on("GET /v1/calls", 200, "application/json", "{'calls': []}");
        String listed = run(env(), "calls", "--json").out();
        assertThat(listed).contains("\u202Eevil");
        assertThat(Json.parseOrNull(listed).path("sessions")).isEqualTo(Json.parseOrNull(body).path("sessions"));
    }

    @Test
    void tailOfACallThatHadAlreadyEndedSaysSoInsteadOfFollowingIt() {
        // What the transcript service sends for a call that is over: the stored lines, "replayed", and at once "end".
        on("GET /v1/sessions/over-1/transcript/stream", 200, "text/event-stream", """
                event: segment
                id: a:2
                data: {'segmentId': 'a', 'revision': 2, 'role': 'USER', 'speaker': 'Caller', 'text': 'Where is my order?', 'startMs': 1200, 'isFinal': true}

                event: replayed
                data: {'segments':1}

                event: end
                data: {'sessionId': 's1', 'endReason': 'CALLER_HANGUP', 'endedAt': null}

                """);
        Run run = run(env(), "tail", "over-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("[00:01.2] Caller: Where is my order?\ncall ended: CALLER_HANGUP\n");
        assertThat(run.err()).isEqualTo(LiveNote.ALREADY_ENDED + "\n");
    }

    @Test
    void tailOfALiveCallThatIsQuietSaysItFollowsItBeforeTheNextLine() {
        // "replayed", then nothing for longer than the note waits, then the end.
        server.createContext("/v1/sessions/quiet-1/transcript/stream", exchange -> {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("event: replayed\ndata: {\"segments\":0}\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(LiveNote.DELAY.multipliedBy(4));
                out.write("event: end\ndata: {\"sessionId\": \"s2\", \"endReason\": \"AGENT_HANGUP\", \"endedAt\": null}\n\n"
                        .getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Run run = run(env(), "tail", "quiet-1");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("call ended: AGENT_HANGUP\n");
        assertThat(run.err()).isEqualTo(LiveNote.FOLLOWING + "\n");
    }
}
