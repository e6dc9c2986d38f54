package dev.switchboard.gateway;

import dev.switchboard.gateway.support.Api;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.http.RawHttp;
import dev.switchboard.testing.http.Requests;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HEAD on the live stream: a HEAD answer is complete once its headers are sent, so it must neither hold the connection
 * (a next request on it is answered) nor one of the caller's stream places.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
class StreamHeadTest {

    @BeforeEach
    void gatewayIsReady() {
        Api.awaitReady();
    }

    private record Head(int status, Map<String, String> headers) {
    }

    @Test
    void headAnswersAtOnceWithAGetsHeadersAndTheConnectionServesTheNextRequest() throws IOException {
        String token = TestTokens.bearer(TestTokens.admin());
        try (Socket socket = socket()) {
            Head head = send(socket, "HEAD", "/v1/stream", token);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.headers().get("content-type")).startsWith("text/event-stream");
            // Keep-alive: the same connection answers the next request (it hung before, the stream never ending).
            Head next = send(socket, "HEAD", "/v1/stream?room=" + Api.newRoom("head"), token);
            assertThat(next.status()).isEqualTo(200);
            assertThat(send(socket, "GET", "/q/health/live", token).status()).isEqualTo(200);
        }
    }

    @Test
    void headsHoldNoStreamPlace() throws IOException {
        String subject = "head-" + UUID.randomUUID().toString().substring(0, 8);
        String token = TestTokens.bearer(TestTokens.token().subject(subject).tenant("acme").scopes(TestTokens.TENANT_SCOPES).sign());
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 25; i++) { // more than the 20 a caller may hold, each connection left open
                Socket socket = socket();
                open.add(socket);
                assertThat(send(socket, "HEAD", "/v1/stream", token).status()).as("HEAD %d", i).isEqualTo(200);
            }
            RawHttp.Answer stream = RawHttp.send(RestAssured.port, Requests.get("/v1/stream", Map.of("Authorization", token)),
                    Duration.ofSeconds(10));
            assertThat(stream.status()).as(stream.body()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
        } finally {
            for (Socket socket : open) {
                socket.close();
            }
        }
    }

    @Test
    void headHasTheChecksOfAGet() throws IOException {
        try (Socket socket = socket()) {
            assertThat(send(socket, "HEAD", "/v1/stream", null).status()).isEqualTo(401);
        }
        try (Socket socket = socket()) {
            String noRead = TestTokens.bearer(TestTokens.token().scopes("calls:control").sign());
            assertThat(send(socket, "HEAD", "/v1/stream", noRead).status()).isEqualTo(403);
        }
        try (Socket socket = socket()) {
            assertThat(send(socket, "HEAD", "/v1/stream?room=", TestTokens.bearer(TestTokens.admin())).status()).isEqualTo(400);
        }
    }

    private static Socket socket() throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        socket.setSoTimeout(5_000); // a HEAD that does not complete fails the test with a SocketTimeoutException
        return socket;
    }

    /** Sends a request on the connection and reads its answer; a HEAD answer has no body whatever its headers say. */
    private static Head send(Socket socket, String method, String target, String authorization) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: localhost\r\n");
        if (authorization != null) {
            request.append("Authorization: ").append(authorization).append("\r\n");
        }
        socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        assertThat(statusLine).as("status line of %s %s", method, target).startsWith("HTTP/1.1 ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (!method.equals("HEAD")) {
            in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
        }
        return new Head(Integer.parseInt(statusLine.split(" ")[1]), headers);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("the connection closed mid-answer");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
