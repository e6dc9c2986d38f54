package dev.switchboard.worker.llm;

import java.util.List;

/** The model's complete answer to one request, with the tokens it cost. */
public record LlmResponse(String text, List<ToolCall> toolCalls, long promptTokens, long completionTokens) {
    public LlmResponse {
        text = text == null ? "" : text;
        toolCalls = List.copyOf(toolCalls);
    }
}
