package dev.switchboard.worker.llm;

import java.util.List;
import java.util.Objects;

/** One entry of a session's chat context, in the roles chat-completion APIs understand. */
public sealed interface ChatMessage {

    /** Instructions or context for the model: the agent's instructions, or a message injected from outside. */
    record System(String text) implements ChatMessage {
        public System {
            Objects.requireNonNull(text);
        }
    }

    /** What the caller said (or a user-role message injected from outside). */
    record User(String text) implements ChatMessage {
        public User {
            Objects.requireNonNull(text);
        }
    }

    /** What the model answered: text (possibly empty) and the tools it asked to call. */
    record Assistant(String text, List<ToolCall> toolCalls) implements ChatMessage {
        public Assistant {
            text = text == null ? "" : text;
            toolCalls = List.copyOf(toolCalls);
        }

        public Assistant(String text) {
            this(text, List.of());
        }
    }

    /** The result of a tool call, answered to the model. */
    record ToolResult(String toolCallId, String toolName, String content) implements ChatMessage {
    }
}
