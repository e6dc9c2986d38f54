package dev.switchboard.worker.llm;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming client against a server speaking the OpenAI wire protocol over real HTTP. */
class OpenAiCompatibleLlmClientTest {
    private static FakeLlmServer server;
    private static FakeLlmControl control;
    /** Strict about repeated fields, as the services' own mapper is for request bodies. */
    private final ObjectMapper json = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    @BeforeAll
    static void start() {
        server = new FakeLlmServer();
        control = new FakeLlmControl(server.baseUrl());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        control.reset();
    }

    private OpenAiCompatibleLlmClient client(int retries) {
        return new OpenAiCompatibleLlmClient(new OpenAiCompatibleLlmClient.Settings(
                OpenAiCompatibleLlmClient.chatCompletionsEndpoint(URI.create(server.baseUrl())), "fake-model",
                Optional.of("secret"), "Authorization", Duration.ofSeconds(10), retries, true), json);
    }

    @Test
    void streamedTextAndToolCallsAreReassembled() throws Exception {
        control.replyWithTool("Goodbye for now!", "end_call", Map.of("reason", "caller is done", "goodbye", "Bye"));
        List<String> deltas = new ArrayList<>();

        LlmResponse response = client(0).complete(new LlmRequest(List.of(new ChatMessage.System("Be brief."), new ChatMessage.User("bye")),
                List.of(new ToolSpec("end_call", "Hang up", Map.of("type", "object")))), deltas::add);

        assertThat(response.text()).isEqualTo("Goodbye for now!");
        assertThat(deltas).hasSizeGreaterThan(1).containsExactly(deltas.toArray(String[]::new));
        assertThat(String.join("", deltas)).isEqualTo("Goodbye for now!");
        assertThat(response.toolCalls()).singleElement().satisfies(call -> {
            assertThat(call.name()).isEqualTo("end_call");
            assertThat(call.arguments()).containsEntry("reason", "caller is done").containsEntry("goodbye", "Bye");
            assertThat(call.id()).isNotBlank();
        });
        assertThat(response.promptTokens()).isEqualTo(42);
        assertThat(server.authorizations()).containsExactly("Bearer secret");
    }

    @Test
    void toolArgumentsAModelWroteWithARepeatedFieldKeepItsLastValue() throws Exception {
        ObjectNode reply = json.createObjectNode().put("text", "");
        reply.putArray("toolCalls").addObject().put("name", "end_call")
                .put("arguments", "{\"reason\": \"first thought\", \"goodbye\": \"Bye\", \"reason\": \"caller is done\"}");
        control.reply(reply);

        LlmResponse response = client(0).complete(new LlmRequest(List.of(new ChatMessage.User("bye")),
                List.of(new ToolSpec("end_call", "Hang up", Map.of("type", "object")))), LlmClient.TextListener.IGNORE);

        assertThat(response.toolCalls()).singleElement().satisfies(call ->
                assertThat(call.arguments()).containsEntry("reason", "caller is done").containsEntry("goodbye", "Bye"));
    }

    @Test
    void theRequestCarriesTheWholeContextAndTheToolsInOpenAiForm() throws Exception {
        control.replyText("ok");
        var call = new ToolCall("call_1", "end_call", Map.of("reason", "x"), "{\"reason\":\"x\"}");

        client(0).complete(new LlmRequest(List.of(
                new ChatMessage.System("Instructions"),
                new ChatMessage.User("hi"),
                new ChatMessage.Assistant("", List.of(call)),
                new ChatMessage.ToolResult("call_1", "end_call", "done"),
                new ChatMessage.System("Injected fact")),
                List.of(new ToolSpec("end_call", "Hang up", Map.of("type", "object")))), LlmClient.TextListener.IGNORE);

        JsonNode request = server.requests().getFirst();
        assertThat(request.path("model").asText()).isEqualTo("fake-model");
        assertThat(request.path("stream").asBoolean()).isTrue();
        JsonNode messages = request.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(2).path("tool_calls").get(0).path("function").path("name").asText()).isEqualTo("end_call");
        assertThat(messages.get(2).path("content").isNull()).isTrue();
        assertThat(messages.get(3).path("role").asText()).isEqualTo("tool");
        assertThat(messages.get(3).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(messages.get(4).path("content").asText()).isEqualTo("Injected fact");
        assertThat(request.path("tools").get(0).path("function").path("name").asText()).isEqualTo("end_call");
    }

    @Test
    void aServerErrorIsRetriedButABadRequestIsNot() throws Exception {
        control.replyStatus(503).replyText("recovered");
        assertThat(client(2).complete(new LlmRequest(List.of(new ChatMessage.User("hi")), List.of()), LlmClient.TextListener.IGNORE).text())
                .isEqualTo("recovered");

        control.replyStatus(400).replyText("never asked");
        assertThatThrownBy(() -> client(2).complete(new LlmRequest(List.of(new ChatMessage.User("hi")), List.of()), LlmClient.TextListener.IGNORE))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("HTTP 400")
                .satisfies(e -> assertThat(((LlmException) e).retryable()).isFalse());
    }

    @Test
    void anUnreachableServerIsAClearError() {
        var unreachable = new OpenAiCompatibleLlmClient(new OpenAiCompatibleLlmClient.Settings(
                URI.create("http://127.0.0.1:1/v1/chat/completions"), "m", Optional.empty(), "Authorization", Duration.ofSeconds(2), 0, true), json);
        assertThatThrownBy(() -> unreachable.complete(new LlmRequest(List.of(new ChatMessage.User("hi")), List.of()), LlmClient.TextListener.IGNORE))
                .isInstanceOf(LlmException.class)
                .hasMessageContaining("cannot reach the LLM");
    }

    @Test
    void endpointsAcceptABaseUrlOrAFullAzureUrl() {
        assertThat(OpenAiCompatibleLlmClient.chatCompletionsEndpoint(URI.create("https://api.openai.com/v1/")))
                .hasToString("https://api.openai.com/v1/chat/completions");
        URI azure = URI.create("https://acme.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-10-21");
        assertThat(OpenAiCompatibleLlmClient.chatCompletionsEndpoint(azure)).isEqualTo(azure);
    }
}
