package dev.switchboard.testing;

import dev.switchboard.testing.http.HostileRequests;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.UnexpectedFailureResource;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP part of the reliability suite ({@code -Preliability}): at least 10,000 generated hostile requests
 * ({@link HostileRequests}: broken HTTP, hostile methods, paths, parameters, headers and bodies) against the service,
 * and then: not one 5xx, every well-framed request answered (a Server-Sent Events stream by its status line and
 * headers, then left), every 4xx an {@code application/problem+json} document, not one ERROR or WARN line or stack
 * trace in the service's log, and metric URI tags that are route templates only. Reported apart: the one 5xx HTTP
 * itself prescribes, a well-formed request line with an HTTP version nobody implements (HTTP/9.9), which Vert.x may
 * answer 501 before any service code runs; and the 4xx answered without a body below every route (Vert.x's codec,
 * Quarkus' check of the request target), which no service code can shape. Prints the figures.
 * {@code -Dreliability.http.requests=} and {@code -Dreliability.http.seed=} change the run. A service's test extends
 * this and is annotated {@code @QuarkusTest} with its test resources.
 */
@Tag("reliability")
public abstract class HostileHttpTest {
    /** Longer than any wait a generated request can ask for (the gateway's commands wait 5 s for their result by default). */
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern URI_TAG = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);

    /** The service's API (the routes the requests are made for). */
    protected abstract ServiceApi api();

    /**
     * By path or query parameter name, values (encoded) that name something the service has when the run starts, such
     * as a stored session's room or a live session, or that it takes: requests other than DELETE use them every other
     * time, to reach what is found too ({@link HostileRequests}); none by default.
     */
    protected Map<String, List<String>> knownValues() {
        return Map.of();
    }

    @Test
    void hostileRequestsGetNoServerErrorAndLeaveNoErrorInTheLog() {
        int requests = Integer.getInteger("reliability.http.requests", 10_000);
        long seed = Long.getLong("reliability.http.seed", 20261203L);
        HostileRequests hostile = new HostileRequests(api(), seed, knownValues());
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Map<Integer, Integer>> unanswered = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        Map<String, Integer> notProblems = new TreeMap<>();
        Map<String, Integer> bodiless = new TreeMap<>();
        Map<String, Integer> served = new TreeMap<>();
        List<String> notProblemSamples = new ArrayList<>();
        List<String> hangs = new ArrayList<>();
        int notImplementedVersions = 0;
        long started = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < requests; i++) {
                HostileRequests.Hostile request = hostile.next();
                RawHttp.Answer answer = RawHttp.send(RestAssured.port, request.bytes(), TIMEOUT);
                statuses.merge(answer.status(), 1, Integer::sum);
                kinds.merge(request.kind(), 1, Integer::sum);
                if (answer.status() >= 200 && answer.status() < 300) {
                    served.merge(answer.contentType().split(";")[0].strip(), 1, Integer::sum);
                }
                if (answer.status() < 0) {
                    unanswered.computeIfAbsent(request.kind(), k -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
                }
                // Valid HTTP is answered, a stream by its status line and headers: broken framing may leave the server
                // waiting for the rest of a request, a well-framed request never.
                if (answer.status() == RawHttp.Answer.TIMED_OUT && request.kind().startsWith(HostileRequests.WELL_FRAMED) && hangs.size() < 20) {
                    hangs.add(request.kind() + ": " + shorten(new String(request.bytes(), StandardCharsets.ISO_8859_1)));
                }
                boolean versionNotImplemented = request.kind().equals(HostileRequests.UNSUPPORTED_VERSION)
                        && (answer.status() == 501 || answer.status() == 505);
                if (versionNotImplemented) {
                    notImplementedVersions++;
                } else if (answer.isServerError() && serverErrors.size() < 20) {
                    serverErrors.add(answer.status() + " for " + request.kind() + ": " + shorten(new String(request.bytes(),
                            StandardCharsets.ISO_8859_1)) + " -> " + shorten(answer.body()));
                }
                if (answer.status() >= 400 && answer.status() < 500 && !answer.contentType().startsWith("application/problem+json")) {
                    boolean httpLayer = refusedBeforeAnyRoute(request, answer);
                    String key = answer.status() + " " + request.kind() + (httpLayer ? "" : " [" + answer.contentType() + "]");
                    (httpLayer ? bodiless : notProblems).merge(key, 1, Integer::sum);
                    if (!httpLayer && notProblemSamples.size() < 20) {
                        notProblemSamples.add(key + ": " + shorten(new String(request.bytes(), StandardCharsets.ISO_8859_1))
                                + " -> " + shorten(answer.body()));
                    }
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            var errors = log.atLeast(LogCapture.ERROR);
            var warnings = log.atLeast(LogCapture.WARN);
            var stackTraces = log.withStackTrace();
            System.out.printf("%n[reliability] %s: %,d hostile requests in %.1f s (%.0f/s), seed %d%n", getClass().getSimpleName(), requests,
                    took.toMillis() / 1000.0, requests * 1000.0 / Math.max(1, took.toMillis()), seed);
            System.out.printf("[reliability]   status histogram (-1 closed without an answer, -2 no answer in %d s): %s%n",
                    TIMEOUT.toSeconds(), statuses);
            System.out.printf("[reliability]   kinds: %s%n", kinds);
            System.out.printf("[reliability]   unanswered by kind: %s%n", unanswered);
            System.out.printf("[reliability]   2xx by media type: %s%n", served);
            System.out.printf("[reliability]   4xx answered by the HTTP layer before any route, without a body: %d %s%n",
                    bodiless.values().stream().mapToInt(Integer::intValue).sum(), bodiless);
            System.out.printf("[reliability]   other 4xx not application/problem+json: %d %s%n",
                    notProblems.values().stream().mapToInt(Integer::intValue).sum(), notProblems);
            System.out.printf("[reliability]   server errors: %d (besides %d answers 501/505 to an HTTP version that is not implemented);"
                            + " log lines: %d ERROR, %d WARN or above, %d with a stack trace%n",
                    statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum() - notImplementedVersions,
                    notImplementedVersions, errors.size(), warnings.size(), stackTraces.size());

            assertThat(serverErrors).as("server errors").isEmpty();
            assertThat(hangs).as("well-framed requests not answered within " + TIMEOUT.toSeconds() + " s").isEmpty();
            assertThat(notProblemSamples).as("4xx answers that are not application/problem+json").isEmpty();
            assertThat(errors).as("ERROR lines" + LogCapture.describe(errors)).isEmpty();
            assertThat(stackTraces).as("stack traces" + LogCapture.describe(stackTraces)).isEmpty();
            assertThat(warnings).as("WARN lines" + LogCapture.describe(warnings)).isEmpty();
        }
        assertThat(uriTags()).as("metric URI tags").allMatch(allowedTags()::contains);
    }

    /**
     * A client error answered below the application, where no route runs and no problem can be written: Vert.x's
     * codec refusing a request line or headers it cannot read (400), or beyond its limits (414, 431), and Quarkus'
     * root handler refusing a request target that is not a URI (an invalid percent escape such as {@code %zz} or a
     * bare {@code %}, raw non-ASCII bytes): each an empty 400 before the router. Any other 4xx must be a problem.
     */
    private static boolean refusedBeforeAnyRoute(HostileRequests.Hostile request, RawHttp.Answer answer) {
        if (!answer.body().isEmpty() || !answer.contentType().isEmpty()) {
            return false;
        }
        if (answer.status() == 414 || answer.status() == 431) {
            return true;
        }
        if (answer.status() != 400) {
            return false;
        }
        if (!request.kind().startsWith(HostileRequests.WELL_FRAMED)) {
            return true; // broken HTTP by construction
        }
        String head = new String(request.bytes(), StandardCharsets.ISO_8859_1);
        String requestLine = head.substring(0, Math.max(0, head.indexOf("\r\n")));
        String[] parts = requestLine.split(" ", -1);
        if (parts.length != 3) {
            return true; // a space in a value breaks the request line
        }
        try {
            new URI(parts[1]);
            return false;
        } catch (URISyntaxException e) {
            return true;
        }
    }

    private Set<String> allowedTags() {
        Set<String> allowed = new HashSet<>(api().templates());
        allowed.addAll(Set.of("UNKNOWN", "NOT_FOUND", "REDIRECTION", "root", "/", UnexpectedFailureResource.PATH));
        return allowed;
    }

    private static Set<String> uriTags() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        Matcher uris = URI_TAG.matcher(metrics);
        Set<String> tags = new HashSet<>();
        while (uris.find()) {
            tags.add(uris.group(1));
        }
        System.out.printf("[reliability]   metric URI tags: %s%n", tags.stream().sorted().collect(Collectors.joining(", ")));
        return tags;
    }

    private static String shorten(String text) {
        String oneLine = text.replace("\r", "\\r").replace("\n", "\\n");
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
