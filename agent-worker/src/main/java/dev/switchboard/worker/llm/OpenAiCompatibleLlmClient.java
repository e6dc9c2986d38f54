package dev.switchboard.worker.llm;

import org.jboss.logging.Logger;
import dev.switchboard.worker.concurrent.WorkerThreads;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Streaming chat completions against any OpenAI-compatible endpoint: OpenAI, Azure OpenAI, vLLM, Ollama,
 * llama.cpp's server. Tool calls arrive in fragments across stream chunks and are reassembled by index.
 */
public final class OpenAiCompatibleLlmClient implements LlmClient {
    private static final Logger LOG = Logger.getLogger(OpenAiCompatibleLlmClient.class);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    /**
     * @param endpoint     the full chat-completions URL
     * @param apiKeyHeader {@code Authorization} (sent as a Bearer token) or e.g. {@code api-key} for Azure
     * @param streamUsage  ask for token usage in the stream ({@code stream_options.include_usage})
     */
    public record Settings(URI endpoint, String model, Optional<String> apiKey, String apiKeyHeader, Duration timeout,
                           int maxRetries, boolean streamUsage) {
    }

    private final Settings settings;
    private final HttpClient http;
    private final ObjectMapper json;

    public OpenAiCompatibleLlmClient(Settings settings, ObjectMapper json) {
        this.settings = settings;
        // The services refuse a request body naming a field twice; what a model writes (tool arguments) is taken as
        // before, the last value of a repeated field, rather than losing the whole call's arguments.
        this.json = json.copy().disable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.http = WorkerThreads.httpClient("llm-http").connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Accepts a base URL ({@code https://api.openai.com/v1}) or the full chat-completions URL (Azure deployments). */
    public static URI chatCompletionsEndpoint(URI baseUrl) {
        String url = baseUrl.toString();
        if (url.contains("/chat/completions")) {
            return baseUrl;
        }
        return URI.create(url.replaceAll("/+$", "") + "/chat/completions");
    }

    @Override
    public String describe() {
        return "openai-compatible:" + settings.model();
    }

    @Override
    public LlmResponse complete(LlmRequest request, TextListener onText) throws InterruptedException {
        String body = requestBody(request);
        for (int attempt = 0; ; attempt++) {
            StreamState state = new StreamState();
            try {
                return send(body, onText, state);
            } catch (LlmException e) {
                // Retrying after text was already streamed (and perhaps spoken) would say it twice.
                if (!e.retryable() || state.streamedText || attempt >= settings.maxRetries()) {
                    throw e;
                }
                long pause = 250L << attempt;
                // Each failed attempt is said: a caller hears silence meanwhile, so a timing-out model must show.
                LOG.warnf("%s; trying again in %d ms (retry %d of %d)", e.getMessage(), pause, attempt + 1, settings.maxRetries());
                Thread.sleep(pause);
            }
        }
    }

    private LlmResponse send(String body, TextListener onText, StreamState state) throws InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(settings.endpoint())
                .timeout(settings.timeout())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        settings.apiKey().filter(k -> !k.isBlank()).ifPresent(key -> {
            if (settings.apiKeyHeader().equalsIgnoreCase("Authorization")) {
                builder.header("Authorization", "Bearer " + key);
            } else {
                builder.header(settings.apiKeyHeader(), key);
            }
        });
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(builder.build(), HttpResponse.BodyHandlers.ofLines());
        } catch (HttpTimeoutException e) {
            throw new LlmException("the LLM at " + settings.endpoint() + " did not answer within " + settings.timeout().toSeconds()
                    + " s (SWITCHBOARD_LLM_TIMEOUT)", true, e);
        } catch (IOException e) {
            throw new LlmException("cannot reach the LLM at " + settings.endpoint() + ": " + e, true, e);
        }
        try (Stream<String> lines = response.body()) {
            int status = response.statusCode();
            if (status != 200) {
                String error = lines.limit(50).collect(Collectors.joining("\n"));
                throw new LlmException("the LLM answered HTTP " + status + ": " + abbreviate(error), status == 429 || status >= 500);
            }
            boolean eventStream = response.headers().firstValue("Content-Type").orElse("").contains("text/event-stream");
            return eventStream ? readStream(lines.iterator(), onText, state) : readWhole(lines, onText);
        } catch (java.io.UncheckedIOException e) {
            throw new LlmException("the LLM stream broke off: " + e.getCause(), true, e);
        }
    }

    private LlmResponse readStream(Iterator<String> lines, TextListener onText, StreamState state) throws InterruptedException {
        while (lines.hasNext()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("LLM request cancelled");
            }
            String line = lines.next();
            if (!line.startsWith("data:")) {
                continue;
            }
            String data = line.substring(5).trim();
            if (data.equals("[DONE]")) {
                break;
            }
            JsonNode chunk = parse(data);
            if (chunk.hasNonNull("error")) {
                throw new LlmException("the LLM reported an error: " + abbreviate(chunk.get("error").toString()), false);
            }
            state.usage(chunk.get("usage"));
            JsonNode choice = chunk.path("choices").path(0);
            JsonNode delta = choice.path("delta");
            String content = delta.path("content").asText("");
            if (!content.isEmpty()) {
                state.text.append(content);
                state.streamedText = true;
                onText.onText(content);
            }
            for (JsonNode fragment : delta.path("tool_calls")) {
                state.toolCall(fragment);
            }
        }
        return state.toResponse(this::parseArguments);
    }

    /** Some servers ignore {@code stream: true}; accept a plain JSON answer too. */
    private LlmResponse readWhole(Stream<String> lines, TextListener onText) {
        JsonNode root = parse(lines.collect(Collectors.joining("\n")));
        JsonNode message = root.path("choices").path(0).path("message");
        String text = message.path("content").asText("");
        if (!text.isEmpty()) {
            onText.onText(text);
        }
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode call : message.path("tool_calls")) {
            String raw = call.path("function").path("arguments").asText("{}");
            calls.add(new ToolCall(call.path("id").asText(), call.path("function").path("name").asText(), parseArguments(raw), raw));
        }
        JsonNode usage = root.path("usage");
        return new LlmResponse(text, calls, usage.path("prompt_tokens").asLong(), usage.path("completion_tokens").asLong());
    }

    String requestBody(LlmRequest request) {
        ObjectNode root = json.createObjectNode();
        root.put("model", settings.model());
        root.put("stream", true);
        if (settings.streamUsage()) {
            root.putObject("stream_options").put("include_usage", true);
        }
        ArrayNode messages = root.putArray("messages");
        for (ChatMessage message : request.messages()) {
            ObjectNode m = messages.addObject();
            switch (message) {
                case ChatMessage.System s -> m.put("role", "system").put("content", s.text());
                case ChatMessage.User u -> m.put("role", "user").put("content", u.text());
                case ChatMessage.Assistant a -> {
                    m.put("role", "assistant");
                    if (a.text().isEmpty() && !a.toolCalls().isEmpty()) {
                        m.putNull("content");
                    } else {
                        m.put("content", a.text());
                    }
                    if (!a.toolCalls().isEmpty()) {
                        ArrayNode calls = m.putArray("tool_calls");
                        for (ToolCall call : a.toolCalls()) {
                            ObjectNode c = calls.addObject().put("id", call.id()).put("type", "function");
                            c.putObject("function").put("name", call.name()).put("arguments", call.rawArguments());
                        }
                    }
                }
                case ChatMessage.ToolResult r -> m.put("role", "tool").put("tool_call_id", r.toolCallId()).put("content", r.content());
            }
        }
        if (!request.tools().isEmpty()) {
            ArrayNode tools = root.putArray("tools");
            for (ToolSpec tool : request.tools()) {
                ObjectNode function = tools.addObject().put("type", "function").putObject("function");
                function.put("name", tool.name()).put("description", tool.description());
                function.set("parameters", json.valueToTree(tool.parameters()));
            }
            root.put("tool_choice", "auto");
        }
        try {
            return json.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode parse(String data) {
        try {
            return json.readTree(data);
        } catch (JsonProcessingException e) {
            throw new LlmException("the LLM sent something that is not JSON: " + abbreviate(data), false, e);
        }
    }

    private Map<String, Object> parseArguments(String raw) {
        if (raw == null || raw.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> parsed = json.readValue(raw, JSON_OBJECT);
            // Map.copyOf later rejects null values; a tool argument set to null means "not given".
            parsed.values().removeIf(java.util.Objects::isNull);
            return parsed;
        } catch (JsonProcessingException e) {
            // A model sometimes produces broken JSON; the tool then sees no arguments rather than failing the turn,
            // and the log says so, since the tool acts without what the model meant to give it.
            // Only their size is logged: what a model writes can hold what the caller said.
            LOG.warnf("the LLM gave tool arguments that are not a JSON object (%d characters: %s); the tool runs without them",
                    raw.length(), e.getOriginalMessage());
            return Map.of();
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500) + "...";
    }

    /** What has arrived so far in one streamed answer. */
    private static final class StreamState {
        final StringBuilder text = new StringBuilder();
        final Map<Integer, PartialToolCall> toolCalls = new TreeMap<>();
        boolean streamedText;
        long promptTokens;
        long completionTokens;

        void usage(JsonNode usage) {
            if (usage != null && !usage.isNull()) {
                promptTokens = usage.path("prompt_tokens").asLong(promptTokens);
                completionTokens = usage.path("completion_tokens").asLong(completionTokens);
            }
        }

        void toolCall(JsonNode fragment) {
            PartialToolCall call = toolCalls.computeIfAbsent(fragment.path("index").asInt(toolCalls.size()), i -> new PartialToolCall());
            if (fragment.hasNonNull("id")) {
                call.id = fragment.get("id").asText();
            }
            JsonNode function = fragment.path("function");
            if (function.hasNonNull("name")) {
                call.name.append(function.get("name").asText());
            }
            if (function.hasNonNull("arguments")) {
                call.arguments.append(function.get("arguments").asText());
            }
        }

        LlmResponse toResponse(java.util.function.Function<String, Map<String, Object>> parseArguments) {
            List<ToolCall> calls = new ArrayList<>();
            int index = 0;
            for (PartialToolCall call : toolCalls.values()) {
                String id = call.id != null ? call.id : "call_" + index;
                String raw = call.arguments.isEmpty() ? "{}" : call.arguments.toString();
                calls.add(new ToolCall(id, call.name.toString(), parseArguments.apply(raw), raw));
                index++;
            }
            return new LlmResponse(text.toString(), calls, promptTokens, completionTokens);
        }
    }

    private static final class PartialToolCall {
        String id;
        final StringBuilder name = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
    }
}
