package dev.switchboard.worker.llm;

import java.util.Map;

/** A tool offered to the model: its name, what it does, and a JSON Schema of its parameters. */
public record ToolSpec(String name, String description, Map<String, Object> parameters) {
}
