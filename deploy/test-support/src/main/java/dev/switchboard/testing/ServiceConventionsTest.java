package dev.switchboard.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.UnexpectedFailureResource;
import io.restassured.RestAssured;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every Switchboard service offers, and how it answers: health (live, ready, started) that checks its real
 * dependencies, Prometheus metrics, an OpenAPI document, and the same answer to the same mistake, whichever service
 * gets it (an unknown route, a wrong method, an Accept or Content-Type it cannot serve, malformed or invalid input,
 * a bug): application/problem+json with type, title, status and detail, never a 5xx for a client mistake and never
 * a warning or a stack trace in the log for one. A service's test extends this and is annotated {@code @QuarkusTest}
 * with the test resources it needs.
 */
public abstract class ServiceConventionsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final Set<String> HTTP_METHODS = Set.of("GET", "PUT", "POST", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE");
    private static final Pattern PATH_PARAMETER = Pattern.compile("\\{[^}]+}");
    private static final Pattern URI_TAG = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);

    /** The names of the readiness checks this service must report UP (e.g. the Kafka and database checks). */
    protected abstract List<String> requiredReadinessChecks();

    /** The service's API: its routes (the first one a GET that changes nothing) and a request that breaks a rule. */
    protected abstract ServiceApi api();

    /**
     * Ready once the dependencies answer: a service may still be joining its consumer groups when the first test runs
     * (the worker is not ready until its command consumer has partitions), so readiness is awaited, and then must be UP
     * with every required check among those UP.
     */
    @Test
    void readinessChecksTheRealDependencies() {
        Awaitility.await("the service becoming ready").atMost(READY_WITHIN).pollInterval(Duration.ofMillis(200))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
        var body = RestAssured.get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        assertThat(body.getString("status")).isEqualTo("UP");
        List<String> up = body.getList("checks.findAll { it.status == 'UP' }.name");
        assertThat(up).containsAll(requiredReadinessChecks());
        // Quarkus registers its "Graceful Shutdown" check (DOWN from the start of shutdown) only with
        // quarkus.shutdown.delay-enabled; without it a service says ready while it shuts down (a worker draining its
        // calls for minutes), and a load balancer keeps sending it requests.
        assertThat(up).as("readiness turns DOWN as shutdown begins").contains("Graceful Shutdown");
    }

    @Test
    void livenessAndStartupAreReported() {
        RestAssured.get("/q/health/live").then().statusCode(200);
        RestAssured.get("/q/health/started").then().statusCode(200);
    }

    @Test
    void prometheusMetricsAreServed() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("jvm_memory_used_bytes");
    }

    @Test
    void anOpenApiDocumentIsServed() {
        String openapi = RestAssured.given().accept("application/json").get("/q/openapi").then().statusCode(200).extract().asString();
        assertThat(openapi).contains("\"openapi\"");
    }

    /**
     * Every operation the OpenAPI document lists is one this service serves: asked without a token it answers 401 (the
     * kit's authentication runs once a request has found its resource), where a route nobody serves answers 404. Catches
     * routes that come from a library on the classpath instead (the schema-registry client's jar carries Apicurio's own
     * API in a static META-INF/openapi.json). Operations that take no token (security: []) are not asked.
     */
    @Test
    void theOpenApiDocumentListsOnlyRoutesTheServiceServes() {
        Map<String, Map<String, Object>> paths = RestAssured.given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("paths");
        assertThat(paths).isNotEmpty();
        try (LogCapture log = LogCapture.start()) {
            for (var path : paths.entrySet()) {
                assertThat(path.getKey()).as("a path of the document").startsWith("/");
                String uri = PATH_PARAMETER.matcher(path.getKey()).replaceAll("conventions-x");
                for (var operation : path.getValue().entrySet()) {
                    String method = operation.getKey().toUpperCase(Locale.ROOT);
                    if (!HTTP_METHODS.contains(method) || List.of().equals(((Map<?, ?>) operation.getValue()).get("security"))) {
                        continue;
                    }
                    Map<String, String> headers = method.equals("GET") || method.equals("DELETE") ? Map.of()
                            : Map.of("Content-Type", "application/json");
                    String body = headers.isEmpty() ? null : "{}";
                    assertThat(send(Requests.of(method, uri, headers, body)).status()).as("%s %s", method, path.getKey()).isEqualTo(401);
                }
            }
            assertQuiet(log);
        }
    }

    /** One way to authenticate, the bearer token, named once: no scheme a library or Quarkus added on its own. */
    @Test
    void theOpenApiDocumentDeclaresTheBearerTokenAsItsOnlySecurityScheme() {
        Map<String, Object> schemes = RestAssured.given().accept("application/json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath().getMap("components.securitySchemes");
        assertThat(schemes).containsOnlyKeys("bearer");
    }

    @Test
    void anUnknownRouteIsA404Problem() {
        try (LogCapture log = LogCapture.start()) {
            JsonNode problem = problem(send(Requests.get("/v1/no-such-route", Map.of())), 404);
            assertThat(problem.get("detail").asText()).contains("/v1/no-such-route");
            assertQuiet(log);
        }
    }

    @Test
    void browsersAreToldNotToGuessAnotherMediaType() {
        assertThat(send(Requests.get("/v1/no-such-route", Map.of())).headers()).containsEntry("x-content-type-options", "nosniff");
        assertThat(RestAssured.get("/q/health/live").header("X-Content-Type-Options")).isEqualTo("nosniff");
        ServiceApi.Route route = api().routes().getFirst();
        assertThat(send(request(route, Map.of())).headers()).containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void aRoomWithoutASessionIsA404SessionNotFoundProblem() {
        List<ServiceApi.Route> byRoom = api().routes().stream()
                .filter(route -> route.method().equals("GET") && route.pathParameters().equals(List.of("room")))
                .filter(route -> !route.template().startsWith("/v1/calls/")) // a dial has its own call-not-found
                .toList();
        String room = "no-session-" + UUID.randomUUID();
        try (LogCapture log = LogCapture.start()) {
            for (ServiceApi.Route route : byRoom) {
                JsonNode problem = problem(send(Requests.of("GET", route.path(p -> room), headers(route, Map.of()), null)), 404);
                assertThat(problem.get("type").asText()).as(route.template()).isEqualTo("urn:switchboard:problem:session-not-found");
                assertThat(problem.get("title").asText()).as(route.template()).isEqualTo("No such session");
                assertThat(problem.get("detail").asText()).as(route.template()).contains(room);
            }
            assertQuiet(log);
        }
    }

    @Test
    void aRequestTargetWithRawNonAsciiCharactersIsA400ProblemSayingHowToSendThem() {
        ServiceApi.Route route = api().routes().stream()
                .filter(r -> r.method().equals("GET") && r.pathParameters().equals(List.of("room"))).findFirst()
                .orElse(api().routes().getFirst());
        try (LogCapture log = LogCapture.start()) {
            // Requests.of writes the request line in UTF-8: the é goes as its two raw bytes, not percent-encoded.
            String target = route.pathParameters().isEmpty() ? route.path(p -> p) + "?note=\u00e9" : route.path(p -> "p1\u00e9");
            JsonNode problem = problem(send(Requests.of(route.method(), target, headers(route, Map.of()), body(route))), 400);
            assertThat(problem.get("detail").asText()).as(route.template()).contains("not ASCII").contains("%C3%A9");
            assertQuiet(log);
        }
    }

    @Test
    void aMethodARouteDoesNotTakeIsA405Problem() {
        try (LogCapture log = LogCapture.start()) {
            for (ServiceApi.Route wrong : api().wrongMethods()) {
                RawHttp.Answer answer = send(Requests.of(wrong.method(), path(wrong), Map.of(), null));
                assertThat(answer.status()).as("%s %s", wrong.method(), wrong.template()).isEqualTo(405);
                problem(answer, 405);
            }
            assertQuiet(log);
        }
    }

    @Test
    void anEmptyOrBlankAcceptHeaderMeansAnything() {
        ServiceApi.Route route = api().routes().getFirst();
        int withoutAccept = send(request(route, Map.of())).status();
        assertThat(withoutAccept).isBetween(200, 499);
        try (LogCapture log = LogCapture.start()) {
            for (String accept : List.of("", " ", ",")) {
                assertThat(send(request(route, Map.of("Accept", accept))).status()).as("Accept: [%s]", accept).isEqualTo(withoutAccept);
            }
            assertQuiet(log);
        }
    }

    @Test
    void anUnreadableOrUnservableAcceptHeaderIsA406Problem() {
        ServiceApi.Route route = api().routes().getFirst();
        try (LogCapture log = LogCapture.start()) {
            for (String accept : List.of("foo", ";;", "application/", "application/json;q=abc", "image/png", "application/json;q=0", "*/*;q=0")) {
                JsonNode problem = problem(send(request(route, Map.of("Accept", accept))), 406);
                assertThat(problem.get("detail").asText()).as(accept).contains("Accept");
            }
            assertQuiet(log);
        }
    }

    /**
     * A client that accepts nothing but problems gets a problem (a 406, or the route's own refusal): an answer labelled
     * application/problem+json is never a success (the gateway served its session list as one).
     */
    @Test
    void aSuccessIsNeverLabelledAProblem() {
        try (LogCapture log = LogCapture.start()) {
            for (ServiceApi.Route route : api().routes()) {
                if (!route.method().equals("GET")) {
                    continue;
                }
                RawHttp.Answer answer = send(request(route, Map.of("Accept", "application/problem+json")));
                assertThat(answer.status()).as("GET %s -> %s %s", route.template(), answer.contentType(), answer.body())
                        .isGreaterThanOrEqualTo(400);
                assertThat(answer.contentType()).as("GET %s", route.template()).startsWith("application/problem+json");
            }
            assertQuiet(log);
        }
    }

    @Test
    void aNulByteInAParameterIsA400ProblemNamingIt() {
        try (LogCapture log = LogCapture.start()) {
            ServiceApi.Route route = api().routes().getFirst();
            JsonNode query = problem(send(Requests.of(route.method(), path(route) + "?probe=a%00b", headers(route, Map.of()), body(route))), 400);
            assertThat(query.get("detail").asText()).isEqualTo("probe must not contain NUL characters (%00)");
            api().firstWithPathParameter().ifPresent(withParameter -> {
                String name = withParameter.pathParameters().getFirst();
                byte[] request = Requests.of(withParameter.method(), withParameter.path(p -> p.equals(name) ? "room%00x" : "x"),
                        headers(withParameter, Map.of()), body(withParameter));
                assertThat(problem(send(request), 400).get("detail").asText()).isEqualTo(name + " must not contain NUL characters (%00)");
            });
            assertQuiet(log);
        }
    }

    @Test
    void invalidInputIsA400ProblemNamingTheField() {
        ServiceApi.Invalid invalid = api().invalid();
        Map<String, String> headers = new HashMap<>(api().authorization().apply(invalid.jsonBody() == null ? "" : invalid.jsonBody()));
        if (invalid.jsonBody() != null) {
            headers.put("Content-Type", "application/json");
        }
        try (LogCapture log = LogCapture.start()) {
            JsonNode problem = problem(send(Requests.of(invalid.method(), invalid.pathAndQuery(), headers, invalid.jsonBody())), 400);
            assertThat(problem.get("type").asText()).isEqualTo("urn:switchboard:problem:invalid-request");
            assertThat(problem.get("detail").asText()).contains(invalid.names());
            assertQuiet(log);
        }
    }

    @Test
    void aBodyOfAnotherMediaTypeIsA415Problem() {
        api().firstWithJsonBody().ifPresentOrElse(route -> {
            try (LogCapture log = LogCapture.start()) {
                // With the route's credentials: a caller without them learns that it needs them first (401), not this.
                problem(send(Requests.of(route.method(), path(route), headers(route, Map.of("Content-Type", "text/plain")), "hello")), 415);
                problem(send(Requests.of(route.method(), path(route), headers(route, Map.of("Content-Type", ";;")), "hello")), 415);
                assertQuiet(log);
            }
        }, () -> assertThat(api().routes()).as("a service without a JSON body").allMatch(r -> r.body() == ServiceApi.Body.NONE));
    }

    /** No service decodes a compressed body: one labelled gzip is refused as such, not read as JSON nor as if plain. */
    @Test
    void aBodyInAContentCodingIsA415ProblemSayingWhatIsAccepted() {
        ServiceApi.Route route = api().firstWithJsonBody().orElse(api().routes().getFirst());
        try (LogCapture log = LogCapture.start()) {
            for (String coding : List.of("gzip", "br", "identity, gzip")) {
                RawHttp.Answer answer = send(Requests.of("POST", path(route),
                        headers(route, Map.of("Content-Type", "application/json", "Content-Encoding", coding)), "{}"));
                JsonNode problem = problem(answer, 415);
                assertThat(problem.get("detail").asText()).contains("Content-Encoding (" + coding + ") is not supported");
                assertThat(answer.headers()).containsEntry("accept-encoding", "identity");
            }
            assertQuiet(log);
        }
    }

    @Test
    void malformedOrMistypedJsonIsA400ProblemNamingTheField() {
        api().firstWithJsonBody().ifPresentOrElse(route -> {
            try (LogCapture log = LogCapture.start()) {
                JsonNode unreadable = problem(send(json(route, "{\"event\": ")), 400);
                assertThat(unreadable.get("type").asText()).isEqualTo("urn:switchboard:problem:invalid-request");
                assertThat(unreadable.get("detail").asText()).containsIgnoringCase("JSON");
                if (!route.fields().isEmpty()) {
                    assertThat(unreadable.get("detail").asText()).startsWith("the request body is not valid JSON: ");
                    String field = route.fields().getFirst();
                    JsonNode mistyped = problem(send(json(route, "{\"" + field + "\": {\"nested\": [1, 2]}}")), 400);
                    assertThat(mistyped.get("detail").asText()).startsWith(field + " must be ");
                }
                assertQuiet(log);
            }
        }, () -> assertThat(api().routes()).as("a service without a JSON body").allMatch(r -> r.body() == ServiceApi.Body.NONE));
    }

    /** Two bodies glued together, or one followed by junk, are refused: Jackson would otherwise read the first and drop the rest. */
    @Test
    void anythingAfterTheJsonBodyIsA400Problem() {
        var routes = api().routes().stream().filter(r -> r.body() == ServiceApi.Body.JSON && !r.fields().isEmpty()).toList();
        try (LogCapture log = LogCapture.start()) {
            for (var route : routes) {
                for (String body : new String[] {"{} {}", "{}garbage", "{} 1"}) {
                    JsonNode trailing = problem(send(json(route, body)), 400);
                    assertThat(trailing.get("type").asText()).isEqualTo("urn:switchboard:problem:invalid-request");
                    assertThat(trailing.get("detail").asText()).as(route + " " + body).startsWith("the request body is not valid JSON: ");
                }
            }
            assertQuiet(log);
        }
    }

    /** A typo in a field's name would otherwise drop that setting without a word: every JSON request is read strictly. */
    @Test
    void aFieldARequestDoesNotHaveIsA400ProblemNamingTheFieldsItHas() {
        var routes = api().routes().stream().filter(r -> r.body() == ServiceApi.Body.JSON && !r.fields().isEmpty()).toList();
        try (LogCapture log = LogCapture.start()) {
            for (var route : routes) {
                JsonNode unknown = problem(send(json(route, "{\"zzNotAField\": 1}")), 400);
                assertThat(unknown.get("detail").asText()).as(route.toString())
                        .startsWith("zzNotAField is not a field of this request; its fields are ")
                        .contains(route.fields());
            }
            assertQuiet(log);
        }
    }

    /**
     * A chunked body whose last chunk carries trailers, larger than RESTEasy's 10 KiB input buffer, is answered as the same
     * body sent whole: RESTEasy's blocking body stream took the trailers' empty chunk for a broken stream (a 500).
     */
    @Test
    void aChunkedBodyEndingInTrailersIsReadLikeTheSameBodySentWhole() {
        api().firstWithJsonBody().ifPresentOrElse(route -> {
            String body = "{" + " ".repeat(20_000) + "}";
            Map<String, String> headers = new HashMap<>(api().authorization().apply(body));
            headers.put("Content-Type", "application/json");
            try (LogCapture log = LogCapture.start()) {
                int whole = send(Requests.of(route.method(), path(route), headers, body)).status();
                StringBuilder request = new StringBuilder(route.method() + " " + path(route) + " HTTP/1.1\r\nHost: localhost\r\n");
                headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
                request.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
                String first = body.substring(0, 12_000);
                String rest = body.substring(12_000);
                request.append(Integer.toHexString(first.length())).append("\r\n").append(first).append("\r\n")
                        .append(Integer.toHexString(rest.length())).append("\r\n").append(rest).append("\r\n")
                        .append("0\r\nX-Trace: 1\r\n\r\n");
                RawHttp.Answer chunked = send(request.toString().getBytes(StandardCharsets.US_ASCII));
                assertThat(whole).as("the body sent whole").isLessThan(500);
                assertThat(chunked.status()).as("the body sent in chunks with a trailer: %s", chunked.body()).isEqualTo(whole);
                assertQuiet(log);
            }
        }, () -> assertThat(api().routes()).as("a service without a JSON body").allMatch(r -> r.body() == ServiceApi.Body.NONE));
    }

    @Test
    void aRequestWithoutAHostIsA400Problem() {
        ServiceApi.Route route = api().routes().getFirst();
        try (LogCapture log = LogCapture.start()) {
            byte[] http10 = (route.method() + " " + path(route) + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(problem(send(http10), 400).get("detail").asText()).contains("Host");
            assertQuiet(log);
        }
    }

    @Test
    void aBodyWhoseFramingIsBrokenIsTheClientsMistake() {
        api().firstWithJsonBody().ifPresentOrElse(route -> {
            try (LogCapture log = LogCapture.start()) {
                for (String chunks : List.of("zz\r\n{}\r\n0\r\n\r\n", "ffffffffffff\r\n{}\r\n0\r\n\r\n")) {
                    byte[] request = (route.method() + " " + path(route) + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" + chunks).getBytes(StandardCharsets.ISO_8859_1);
                    RawHttp.Answer answer = send(request);
                    assertThat(answer.status()).as(chunks).isIn(RawHttp.Answer.NO_ANSWER, 400, 401, 413);
                }
                assertQuiet(log);
            }
        }, () -> assertThat(api().routes()).as("a service without a JSON body").allMatch(r -> r.body() == ServiceApi.Body.NONE));
    }

    @Test
    void aBodyDeclaredLargerThanTheLimitIsA413ProblemAndLongLinesAndHeadersAreRefused() {
        ServiceApi.Route route = api().routes().getFirst();
        try (LogCapture log = LogCapture.start()) {
            byte[] tooLarge = (route.method() + " " + path(route) + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 20000000\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1);
            assertThat(problem(send(tooLarge), 413).get("detail").asText()).contains("20000000 bytes long; at most");
            // Vert.x's codec refuses these before any route, and Quarkus leaves its server's default invalid-request
            // handler in place: an empty answer whose status alone says what was wrong (the README's known limit).
            assertRefusedWithoutBody(send(Requests.get(path(route) + "?x=" + "a".repeat(10_000), Map.of())), 414);
            assertRefusedWithoutBody(send(Requests.get(path(route), Map.of("X-Big", "b".repeat(30_000)))), 431);
            assertRefusedWithoutBody(send(Requests.get(path(route), Map.of("X-Switchboard-Issuer", "a\u0001b"))), 400);
            assertQuiet(log);
        }
    }

    private static void assertRefusedWithoutBody(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.contentType()).isEmpty();
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void aChunkedBodyBeyondTheLimitIsRefusedQuietly() {
        api().firstWithJsonBody().ifPresentOrElse(route -> {
            try (LogCapture log = LogCapture.start()) {
                StringBuilder head = new StringBuilder(route.method() + " " + path(route) + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n");
                api().authorization().apply("{}").forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
                head.append("\r\n");
                byte[] chunk = ("100000\r\n" + " ".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                ByteArrayOutputStream request = new ByteArrayOutputStream();
                request.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                for (int i = 0; i < 11; i++) {
                    request.writeBytes(chunk);
                }
                request.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                // RESTEasy's reader answers 413 itself as the body overflows, without a body, and closes the connection
                // (or the client is still sending when it closes); the service must then not try to answer again.
                assertThat(send(request.toByteArray()).status()).isIn(RawHttp.Answer.NO_ANSWER, 413);
                assertQuiet(log);
            }
        }, () -> assertThat(api().routes()).as("a service without a JSON body").allMatch(r -> r.body() == ServiceApi.Body.NONE));
    }

    @Test
    void anUnexpectedFailureIsA500ProblemWithoutInternalsLoggedOnceWithItsStackTrace() {
        try (LogCapture log = LogCapture.start()) {
            RawHttp.Answer answer = send(Requests.get(UnexpectedFailureResource.PATH,
                    Map.of("Authorization", TestTokens.bearer(TestTokens.admin()))));
            JsonNode problem = problem(answer, 500);
            assertThat(answer.body()).doesNotContain(UnexpectedFailureResource.INTERNAL_DETAIL).doesNotContain("IllegalStateException")
                    .doesNotContain("at dev.switchboard");
            assertThat(problem.get("title").asText()).isEqualTo("Internal Server Error");
            assertThat(log.atLeast(LogCapture.ERROR)).as(LogCapture.describe(log.all())).hasSize(1);
            assertThat(log.atLeast(LogCapture.ERROR).getFirst().getThrown()).hasMessageContaining(UnexpectedFailureResource.INTERNAL_DETAIL);
        }
    }

    @Test
    void metricsTagRequestsWithTheirRouteNeverTheRawPath() {
        String marker = "raw" + UUID.randomUUID().toString().substring(0, 8);
        for (ServiceApi.Route route : api().routes()) {
            send(Requests.of(route.method(), route.path(p -> marker), Map.of("Accept", "image/png"), null));
            send(Requests.of("PATCH", route.path(p -> marker), Map.of(), null));
            if (route.body() == ServiceApi.Body.NONE) {
                send(Requests.of(route.method(), route.path(p -> marker) + "?limit=-1&sessionId=" + marker, Map.of(), null));
            }
        }
        send(Requests.get("/v1/" + marker, Map.of()));
        send(Requests.of("FOO" + marker.substring(3, 6).toUpperCase(Locale.ROOT), "/v1/" + marker, Map.of(), null));
        ServiceApi.Route first = api().routes().getFirst();
        assertThat(send(request(first, Map.of())).status()).isLessThan(500);
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher uris = URI_TAG.matcher(metrics);
        Set<String> tags = new HashSet<>();
        while (uris.find()) {
            tags.add(uris.group(1));
        }
        assertThat(tags).as("uri tags").noneMatch(tag -> tag.contains(marker)).contains(first.template());
        assertThat(metrics).as("method tags").doesNotContain("method=\"FOO");
    }

    /** Asserts an RFC 9457 problem with the status and returns it. */
    protected static JsonNode problem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(status);
        assertThat(answer.contentType()).startsWith("application/problem+json");
        try {
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.get("type").asText()).isNotBlank();
            assertThat(problem.get("title").asText()).isNotBlank();
            assertThat(problem.get("status").asInt()).isEqualTo(status);
            assertThat(problem.get("detail").asText()).isNotBlank();
            return problem;
        } catch (IOException e) {
            throw new UncheckedIOException("not a JSON problem: " + answer.body(), e);
        }
    }

    /** A client mistake leaves no warning, error or stack trace in the log. */
    protected static void assertQuiet(LogCapture log) {
        assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        assertThat(log.withStackTrace()).as(LogCapture.describe(log.all())).isEmpty();
    }

    protected static RawHttp.Answer send(byte[] request) {
        return RawHttp.send(RestAssured.port, request, TIMEOUT);
    }

    private byte[] request(ServiceApi.Route route, Map<String, String> extra) {
        return Requests.of(route.method(), path(route), headers(route, extra), body(route));
    }

    private byte[] json(ServiceApi.Route route, String body) {
        Map<String, String> headers = new HashMap<>(api().authorization().apply(body));
        headers.put("Content-Type", "application/json");
        return Requests.of(route.method(), path(route), headers, body);
    }

    private Map<String, String> headers(ServiceApi.Route route, Map<String, String> extra) {
        Map<String, String> headers = new HashMap<>(api().authorization().apply(body(route) == null ? "" : body(route)));
        if (route.body() != ServiceApi.Body.NONE) {
            headers.put("Content-Type", "application/json");
        }
        headers.putAll(extra);
        return headers;
    }

    /** A body that cannot start anything: an empty object for JSON routes. */
    private static String body(ServiceApi.Route route) {
        return route.body() == ServiceApi.Body.NONE ? null : "{}";
    }

    private static String path(ServiceApi.Route route) {
        return route.path(p -> "conventions-" + p);
    }
}
