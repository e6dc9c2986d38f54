package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import dev.switchboard.worker.session.AgentSession;

/** A function the model may call during a turn. */
public interface AgentTool {

    ToolSpec spec();

    /**
     * Carries out the call and returns what to tell the model.
     *
     * @param spokeThisRound whether the model's answer carrying this call already said something aloud
     */
    String execute(ToolCall call, AgentSession session, boolean spokeThisRound) throws InterruptedException;
}
