package dev.switchboard.testing.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A scripted OpenAI-compatible chat-completions endpoint, for tests only. It speaks the real wire protocol
 * (POST {base}/chat/completions, server-sent events with text and tool-call deltas split across chunks, a
 * usage chunk, {@code data: [DONE]}), answers with the replies queued for it, and records every request.
 *
 * <p>Tests in other processes or class loaders script it over HTTP: {@code POST /__control/replies} with a JSON
 * array of replies, {@code GET /__control/requests} for the recorded request bodies, {@code POST /__control/reset}.
 * See {@link FakeLlmControl}.
 */
public final class FakeLlmServer implements AutoCloseable {
    /** The base URL path, as a client configures it (e.g. SWITCHBOARD_LLM_BASE_URL=http://host:port/v1). */
    public static final String BASE_PATH = "/v1";

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final Deque<JsonNode> replies = new ConcurrentLinkedDeque<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    public FakeLlmServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake LLM", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(BASE_PATH + "/chat/completions", this::chatCompletions);
        server.createContext("/__control/replies", this::enqueue);
        server.createContext("/__control/requests", this::listRequests);
        server.createContext("/__control/reset", exchange -> {
            reset();
            respond(exchange, 204, null, null);
        });
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    public String controlUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/__control";
    }

    /** Queues a reply: {"text": "...", "toolCalls": [{"name": "...", "arguments": {...}}], "status": 200, "delayMs": 0}. */
    public void enqueue(JsonNode reply) {
        replies.add(reply);
    }

    public List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    public void reset() {
        replies.clear();
        requests.clear();
        authorizations.clear();
    }

    private void chatCompletions(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            respond(exchange, 405, "application/json", "{\"error\":{\"message\":\"POST only\"}}");
            return;
        }
        JsonNode request = json.readTree(exchange.getRequestBody());
        requests.add(request);
        authorizations.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
        JsonNode reply = replies.poll();
        if (reply == null) {
            reply = json.createObjectNode().put("text", "OK.");
        }
        sleep(reply.path("delayMs").asLong(0));
        int status = reply.path("status").asInt(200);
        if (status != 200) {
            respond(exchange, status, "application/json", "{\"error\":{\"message\":\"scripted failure " + status + "\"}}");
            return;
        }
        if (!request.path("stream").asBoolean(false)) {
            respond(exchange, 200, "application/json", json.writeValueAsString(wholeAnswer(reply)));
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            for (JsonNode chunk : streamChunks(reply)) {
                out.write(("data: " + json.writeValueAsString(chunk) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A tool call's arguments as the model wrote them: an object is serialised, a string is sent as it is (even broken). */
    private String argumentsText(JsonNode call) throws IOException {
        JsonNode arguments = call.path("arguments");
        return arguments.isTextual() ? arguments.asText() : json.writeValueAsString(arguments);
    }

    /** The answer as a real server streams it: text in pieces, each tool call's arguments in pieces, then usage. */
    private List<JsonNode> streamChunks(JsonNode reply) throws IOException {
        List<JsonNode> chunks = new ArrayList<>();
        String text = reply.path("text").asText("");
        for (String piece : pieces(text, 3)) {
            ObjectNode chunk = chunk();
            ((ObjectNode) chunk.withArray("choices").get(0).get("delta")).put("content", piece);
            chunks.add(chunk);
        }
        int index = 0;
        for (JsonNode call : reply.path("toolCalls")) {
            String arguments = argumentsText(call);
            boolean first = true;
            for (String piece : pieces(arguments, 2)) {
                ObjectNode chunk = chunk();
                ObjectNode fragment = ((ObjectNode) chunk.withArray("choices").get(0).get("delta")).putArray("tool_calls").addObject();
                fragment.put("index", index);
                ObjectNode function = fragment.putObject("function");
                if (first) {
                    fragment.put("id", "call_" + index + "_" + requests.size()).put("type", "function");
                    function.put("name", call.path("name").asText());
                }
                function.put("arguments", piece);
                chunks.add(chunk);
                first = false;
            }
            index++;
        }
        ObjectNode finish = chunk();
        ((ObjectNode) finish.withArray("choices").get(0)).put("finish_reason", index > 0 ? "tool_calls" : "stop");
        chunks.add(finish);
        ObjectNode usage = json.createObjectNode();
        usage.putArray("choices");
        usage.putObject("usage").put("prompt_tokens", 42).put("completion_tokens", Math.max(1, text.length() / 4));
        chunks.add(usage);
        return chunks;
    }

    private JsonNode wholeAnswer(JsonNode reply) throws IOException {
        ObjectNode root = json.createObjectNode();
        ObjectNode message = root.putArray("choices").addObject().putObject("message");
        message.put("role", "assistant").put("content", reply.path("text").asText(""));
        ArrayNode calls = message.putArray("tool_calls");
        int index = 0;
        for (JsonNode call : reply.path("toolCalls")) {
            ObjectNode c = calls.addObject().put("id", "call_" + index++).put("type", "function");
            c.putObject("function").put("name", call.path("name").asText()).put("arguments", argumentsText(call));
        }
        root.putObject("usage").put("prompt_tokens", 42).put("completion_tokens", 7);
        return root;
    }

    private ObjectNode chunk() {
        ObjectNode chunk = json.createObjectNode().put("object", "chat.completion.chunk");
        chunk.putArray("choices").addObject().put("index", 0).putObject("delta");
        return chunk;
    }

    private static List<String> pieces(String text, int count) {
        List<String> pieces = new ArrayList<>();
        if (text.isEmpty()) {
            return pieces;
        }
        int size = Math.max(1, (text.length() + count - 1) / count);
        for (int i = 0; i < text.length(); i += size) {
            pieces.add(text.substring(i, Math.min(text.length(), i + size)));
        }
        return pieces;
    }

    private void enqueue(HttpExchange exchange) throws IOException {
        JsonNode body = json.readTree(exchange.getRequestBody());
        if (body.isArray()) {
            body.forEach(replies::add);
        } else {
            replies.add(body);
        }
        respond(exchange, 204, null, null);
    }

    private void listRequests(HttpExchange exchange) throws IOException {
        ArrayNode all = json.createArrayNode();
        requests.forEach(all::add);
        respond(exchange, 200, "application/json", json.writeValueAsString(all));
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        if (body == null) {
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
