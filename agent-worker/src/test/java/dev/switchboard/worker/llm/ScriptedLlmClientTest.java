package dev.switchboard.worker.llm;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScriptedLlmClientTest {

    private static ScriptedLlmClient demo() throws Exception {
        try (InputStream in = ScriptedLlmClientTest.class.getClassLoader().getResourceAsStream("demo-dialogue.yaml")) {
            return new ScriptedLlmClient(DialogueScript.parse(in), "demo");
        }
    }

    @Test
    void theDemoDialogueWalksThroughTheReadmeFlow() throws Exception {
        ScriptedLlmClient llm = demo();
        List<ChatMessage> context = new ArrayList<>(List.of(new ChatMessage.System("instructions")));

        context.add(new ChatMessage.User("Hi, I'm calling about my order"));
        LlmResponse first = llm.complete(new LlmRequest(context, List.of()), LlmClient.TextListener.IGNORE);
        assertThat(first.text()).contains("look up your order");
        context.add(new ChatMessage.Assistant(first.text()));

        context.add(new ChatMessage.System("Order 1042 shipped today with UPS."));
        LlmResponse second = llm.complete(new LlmRequest(context, List.of()), LlmClient.TextListener.IGNORE);
        assertThat(second.text()).contains("shipped");
        context.add(new ChatMessage.Assistant(second.text()));

        context.add(new ChatMessage.User("No thanks, that's all"));
        LlmResponse third = llm.complete(new LlmRequest(context, List.of()), LlmClient.TextListener.IGNORE);
        assertThat(third.text()).contains("goodbye");
        assertThat(third.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("end_call");
            assertThat(c.argument("reason")).isNotBlank();
        });
    }

    @Test
    void whenTheAgentSpeaksFirstItSaysTheGreeting() throws Exception {
        LlmResponse opening = demo().complete(new LlmRequest(List.of(new ChatMessage.System("instructions")), List.of()),
                LlmClient.TextListener.IGNORE);
        assertThat(opening.text()).isEqualTo("Hello, thanks for calling Acme. How can I help you today?");
        assertThat(opening.toolCalls()).isEmpty();
    }

    @Test
    void aRuleAnswersOnlyOnceAndTheFallbackCoversTheRest() throws Exception {
        ScriptedLlmClient llm = demo();
        List<ChatMessage> context = new ArrayList<>(List.of(new ChatMessage.System("i"), new ChatMessage.User("my order?")));
        context.add(new ChatMessage.Assistant(llm.complete(new LlmRequest(context, List.of()), LlmClient.TextListener.IGNORE).text()));
        context.add(new ChatMessage.User("my order again?"));

        assertThat(llm.complete(new LlmRequest(context, List.of()), LlmClient.TextListener.IGNORE).text()).isEqualTo("Sorry, could you say that again?");
    }

    @Test
    void aBrokenScriptIsRejectedWhenLoaded() {
        String yaml = "rules:\n  - when: { userSaid: \"(unclosed\" }\n    say: hi\n";
        assertThatThrownBy(() -> DialogueScript.parse(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(java.util.regex.PatternSyntaxException.class);
        String unknownField = "rules:\n  - say: hi\n    sya: typo\n";
        assertThatThrownBy(() -> DialogueScript.parse(new ByteArrayInputStream(unknownField.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("sya");
    }
}
