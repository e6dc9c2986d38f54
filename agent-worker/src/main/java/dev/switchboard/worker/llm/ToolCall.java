package dev.switchboard.worker.llm;

import java.util.Map;

/** A tool invocation requested by the model; {@code arguments} is the parsed JSON object. */
public record ToolCall(String id, String name, Map<String, Object> arguments, String rawArguments) {
    public ToolCall {
        arguments = Map.copyOf(arguments);
    }

    public String argument(String name) {
        Object value = arguments.get(name);
        return value == null ? null : value.toString();
    }
}
