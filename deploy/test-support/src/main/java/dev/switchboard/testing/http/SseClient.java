package dev.switchboard.testing.http;

import dev.switchboard.testing.auth.TestTokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A minimal Server-Sent Events client: events with the time they arrived, and whether the server closed the stream. */
public final class SseClient implements AutoCloseable {
    public record Event(String name, String id, String data, long receivedNanos) {
    }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final Set<String> otherFields = ConcurrentHashMap.newKeySet();
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private final HttpResponse<Stream<String>> response;
    private final Thread reader;

    /** Streams with the test admin's token. */
    public SseClient(URI uri) throws Exception {
        this(uri, TestTokens.admin());
    }

    /** Streams with the given bearer token; null sends none. */
    public SseClient(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream");
        if (token != null) {
            request.header("Authorization", TestTokens.bearer(token));
        }
        response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
        reader = Thread.ofPlatform().daemon().name("sse-test-client").start(this::read);
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** A header of the answer ("" when there is none). */
    public String header(String name) {
        return response.headers().firstValue(name).orElse("");
    }

    /** The whole body of an answer that is not a stream (a problem), read until the server closes it. */
    public String body(Duration timeout) throws InterruptedException {
        closedByServerWithin(timeout);
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(line).append('\n');
        }
        return body.toString();
    }

    private void read() {
        String name = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                this.lines.add(line);
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        events.add(new Event(name == null ? "message" : name, id, data.toString(), System.nanoTime()));
                    }
                    name = null;
                    id = null;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).strip();
                } else if (line.startsWith("data:")) {
                    data.append(data.isEmpty() ? "" : "\n").append(line.substring(5).strip());
                } else if (!line.startsWith(":") && !line.startsWith("retry:")) {
                    otherFields.add(line.contains(":") ? line.substring(0, line.indexOf(':')) : line);
                }
            }
        } catch (RuntimeException ignored) {
            // closed by the test
        } finally {
            ended.countDown();
        }
    }

    /** The next event, or an AssertionError when none comes in time. */
    public Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (event == null) {
            throw new AssertionError("no server-sent event within " + timeout);
        }
        return event;
    }

    /** Field names the stream sent beyond the standard ones (event, id, data, retry, comments); browsers ignore them. */
    public Set<String> otherFields() {
        return Set.copyOf(otherFields);
    }

    public boolean closedByServerWithin(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        reader.interrupt();
        http.shutdownNow();
    }
}
