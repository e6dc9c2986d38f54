package dev.switchboard.worker.llm;

import java.util.List;

/** One chat-completion request: the whole context (instructions first) and the tools on offer. */
public record LlmRequest(List<ChatMessage> messages, List<ToolSpec> tools) {
    public LlmRequest {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }
}
