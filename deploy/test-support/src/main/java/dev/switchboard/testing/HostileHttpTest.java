package dev.switchboard.testing;

import dev.switchboard.testing.http.HostileRequests;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.ServiceApi;
import dev.switchboard.testing.http.UnexpectedFailureResource;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
 * and then: not one 5xx, not one ERROR or WARN line or stack trace in the service's log, and metric URI tags that are
 * route templates only. The one 5xx HTTP itself prescribes is reported apart: a well-formed request line with an HTTP
 * version nobody implements (HTTP/9.9), which Vert.x may answer 501 before any service code runs. Prints the figures. {@code -Dreliability.http.requests=} and {@code -Dreliability.http.seed=} change
 * the run. A service's test extends this and is annotated {@code @QuarkusTest} with its test resources.
 */
@Tag("reliability")
public abstract class HostileHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern URI_TAG = Pattern.compile("^http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);

    /** The service's API (the routes the requests are made for). */
    protected abstract ServiceApi api();

    @Test
    void hostileRequestsGetNoServerErrorAndLeaveNoErrorInTheLog() {
        int requests = Integer.getInteger("reliability.http.requests", 10_000);
        long seed = Long.getLong("reliability.http.seed", 20261203L);
        HostileRequests hostile = new HostileRequests(api(), seed);
        Map<Integer, Integer> statuses = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Map<Integer, Integer>> unanswered = new TreeMap<>();
        List<String> serverErrors = new ArrayList<>();
        int notImplementedVersions = 0;
        long started = System.nanoTime();
        try (LogCapture log = LogCapture.start()) {
            for (int i = 0; i < requests; i++) {
                HostileRequests.Hostile request = hostile.next();
                RawHttp.Answer answer = RawHttp.send(RestAssured.port, request.bytes(), TIMEOUT);
                statuses.merge(answer.status(), 1, Integer::sum);
                kinds.merge(request.kind(), 1, Integer::sum);
                if (answer.status() < 0) {
                    unanswered.computeIfAbsent(request.kind(), k -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
                }
                boolean versionNotImplemented = request.kind().equals(HostileRequests.UNSUPPORTED_VERSION)
                        && (answer.status() == 501 || answer.status() == 505);
                if (versionNotImplemented) {
                    notImplementedVersions++;
                } else if (answer.isServerError() && serverErrors.size() < 20) {
                    serverErrors.add(answer.status() + " for " + request.kind() + ": " + shorten(new String(request.bytes(),
                            java.nio.charset.StandardCharsets.ISO_8859_1)) + " -> " + shorten(answer.body()));
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
            System.out.printf("[reliability]   server errors: %d (besides %d answers 501/505 to an HTTP version that is not implemented);"
                            + " log lines: %d ERROR, %d WARN or above, %d with a stack trace%n",
                    statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum() - notImplementedVersions,
                    notImplementedVersions, errors.size(), warnings.size(), stackTraces.size());

            assertThat(serverErrors).as("server errors").isEmpty();
            assertThat(errors).as("ERROR lines" + LogCapture.describe(errors)).isEmpty();
            assertThat(stackTraces).as("stack traces" + LogCapture.describe(stackTraces)).isEmpty();
            assertThat(warnings).as("WARN lines" + LogCapture.describe(warnings)).isEmpty();
        }
        assertThat(uriTags()).as("metric URI tags").allMatch(allowedTags()::contains);
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
