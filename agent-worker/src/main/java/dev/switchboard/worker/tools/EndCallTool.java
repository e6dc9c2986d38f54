package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;

/**
 * The built-in {@code end_call} tool: the model decides the conversation's task is done. The agent says its
 * goodbye (the text spoken with the call, or the {@code goodbye} argument), waits until it was delivered, asks
 * the call controller to hang up, and takes no more turns. Calling it again does nothing more.
 */
@Singleton
public final class EndCallTool implements AgentTool {
    public static final String NAME = "end_call";

    private static final ToolSpec SPEC = new ToolSpec(NAME,
            "Hang up the call. Use it when the caller's request is handled and they have nothing else, or they say goodbye."
                    + " Say your goodbye in the same answer, or pass it as 'goodbye'.",
            Map.of("type", "object",
                    "properties", Map.of(
                            "reason", Map.of("type", "string", "description", "Why the call is ending, in a few words."),
                            "goodbye", Map.of("type", "string", "description", "What to say before hanging up, if not said already.")),
                    "required", List.of("reason")));

    @Override
    public ToolSpec spec() {
        return SPEC;
    }

    @Override
    public String execute(ToolCall call, ToolContext context, boolean spokeThisRound) throws InterruptedException {
        boolean hungUp = context.endCall(call.argument("reason"), spokeThisRound ? null : call.argument("goodbye"));
        return hungUp ? "The call has been ended. Do not say anything else." : "The call is already ending.";
    }
}
