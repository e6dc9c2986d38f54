package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;

/**
 * A function the model may call during a turn. Tools are CDI beans: every {@code AgentTool} bean is offered to
 * the model (see {@link Toolbox}), so a new tool is a new bean; one that depends on configuration says so in
 * {@link #offered()}, one that acts on a phone line in {@link #needsPhoneLine()}.
 */
public interface AgentTool {

    /** Whether the model is offered this tool at all (a tool that needs configuration is not offered without it). */
    default boolean offered() {
        return true;
    }

    /**
     * Whether the tool acts on a phone line (keypad tones, a SIP transfer), so it is offered only on calls that have
     * one: a web caller's model is never offered a tool that can only fail.
     */
    default boolean needsPhoneLine() {
        return false;
    }

    /** The name, description and parameters the model sees. Names are unique among the tools. */
    ToolSpec spec();

    /**
     * Carries out the call and returns what to tell the model.
     *
     * @param context        what the tool may do to the call
     * @param spokeThisRound whether the model's answer carrying this call already said something aloud
     */
    String execute(ToolCall call, ToolContext context, boolean spokeThisRound) throws InterruptedException;
}
