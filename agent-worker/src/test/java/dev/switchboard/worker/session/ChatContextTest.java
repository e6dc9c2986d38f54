package dev.switchboard.worker.session;

import dev.switchboard.worker.llm.ChatMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ChatContextTest {
    @Test
    void theInstructionsComeFirstThenTheConversationInOrder() {
        var chat = new ChatContext("Be helpful.");
        chat.add(new ChatMessage.User("Hi"));
        chat.add(new ChatMessage.Assistant("Hello!"));

        assertThat(chat.messages()).containsExactly(new ChatMessage.System("Be helpful."), new ChatMessage.User("Hi"),
                new ChatMessage.Assistant("Hello!"));
    }

    @Test
    void instructionsAreReplacedOrExtendedByAParagraph() {
        var chat = new ChatContext("Be helpful.");

        chat.extendInstructions("Be brief.");
        assertThat(chat.messages().getFirst()).isEqualTo(new ChatMessage.System("Be helpful.\n\nBe brief."));

        chat.replaceInstructions("Speak French.");
        assertThat(chat.messages()).containsExactly(new ChatMessage.System("Speak French."));
    }

    @Test
    void whatTheModelKnowsAboutTheCallOutlivesNewInstructions() {
        var chat = new ChatContext("Be helpful.");
        chat.knowTheCall("About this call: it is an inbound phone call.");

        chat.replaceInstructions("Speak French.");

        assertThat(chat.messages()).containsExactly(new ChatMessage.System("Speak French.\n\nAbout this call: it is an inbound phone call."));
    }

    @Test
    void whatWasReadIsACopy() {
        var chat = new ChatContext("Be helpful.");
        var before = chat.messages();

        chat.add(new ChatMessage.User("Hi"));

        assertThat(before).hasSize(1);
        assertThat(chat.messages()).hasSize(2);
    }
}
