package dev.switchboard.stack.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The HTTP side of the CLI: requests to the context gateway and the transcript service with the bearer token, answers
 * read whole (or, for a stream, as they come). That a service could not be reached at all becomes a
 * {@link CliException#UNREACHABLE}; what a service answered, errors included, is left to the caller to judge.
 */
final class ApiClient implements AutoCloseable {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final String JSON = "application/json, application/problem+json";

    /** The services the CLI talks to, named as its messages name them. */
    enum Service {
        GATEWAY("the context gateway", Endpoints.GATEWAY_URL),
        TRANSCRIPTS("the transcript service", Endpoints.TRANSCRIPTS_URL);

        final String title;
        final String variable;

        Service(String title, String variable) {
            this.title = title;
            this.variable = variable;
        }
    }

    /** An answer read whole. */
    record Answer(int status, String contentType, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final HttpClient http;
    private final Endpoints endpoints;
    private volatile Tokens.Token token;

    ApiClient(Endpoints endpoints, Tokens.Token token) {
        this.endpoints = endpoints;
        this.token = token;
        // HTTP/1.1: no h2c upgrade dance on plain http, and a Server-Sent Events stream is a plain long response.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build();
    }

    Tokens.Token token() {
        return token;
    }

    /** Sends a fresh token from now on, when the CLI signed the one it has; false for a token it was given. */
    boolean renewToken() {
        Optional<Tokens.Token> fresh = token.renewed();
        fresh.ifPresent(renewed -> token = renewed);
        return fresh.isPresent();
    }

    Answer get(Service service, String pathAndQuery, Duration timeout) {
        return send(service, request(service, pathAndQuery, timeout).GET().header("Accept", JSON));
    }

    /** A GET that takes whatever the service serves (a transcript as text, SRT or WebVTT). */
    Answer getAny(Service service, String pathAndQuery, Duration timeout) {
        return send(service, request(service, pathAndQuery, timeout).GET().header("Accept", "*/*"));
    }

    /** A POST that the gateway applies once however often it is sent with the same {@code idempotencyKey}. */
    Answer post(Service service, String pathAndQuery, String json, Duration timeout, String idempotencyKey) {
        return send(service, request(service, pathAndQuery, timeout).header("Accept", JSON).header("Idempotency-Key", idempotencyKey)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)));
    }

    /** A Server-Sent Events stream, open for as long as the service keeps it open (no timeout once it answered). */
    HttpResponse<InputStream> stream(Service service, String pathAndQuery) {
        HttpRequest request = request(service, pathAndQuery, null).GET().header("Accept", "text/event-stream").build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unreachable("interrupted");
        }
    }

    /** An answer that was not a success, in words: the problem's title and detail when the service sent one. */
    static CliException failure(Service service, Answer answer) {
        return new CliException(CliException.API_ERROR, ApiProblem.from(answer).words(service));
    }

    CliException unreachable(Service service, IOException e) {
        String why = switch (e) {
            case HttpConnectTimeoutException _ -> "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
            case HttpTimeoutException _ -> "no answer in time";
            case ConnectException _ -> "connection refused";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
        return CliException.unreachable("cannot reach " + service.title + " at " + base(service) + " (" + why + "). Is the stack "
                + "running? ./switchboard up starts it; " + service.variable + " points elsewhere");
    }

    URI base(Service service) {
        return service == Service.GATEWAY ? endpoints.gateway() : endpoints.transcripts();
    }

    /** One path segment, percent-encoded (a room name may hold anything). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(Service service, String pathAndQuery, Duration timeout) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base(service) + pathAndQuery))
                .header("Authorization", "Bearer " + token.value())
                .header("User-Agent", "switchboard-cli");
        return timeout == null ? builder : builder.timeout(timeout);
    }

    private Answer send(Service service, HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Answer(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        } catch (IOException e) {
            throw unreachable(service, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.unreachable("interrupted");
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
