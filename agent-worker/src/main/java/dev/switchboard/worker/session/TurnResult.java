package dev.switchboard.worker.session;

import java.util.List;

/** What the agent said during one turn, and whether the call is now ending (the model hung up). */
public record TurnResult(List<String> spoken, AgentSession.State stateAfter) {
    public TurnResult {
        spoken = List.copyOf(spoken);
    }
}
