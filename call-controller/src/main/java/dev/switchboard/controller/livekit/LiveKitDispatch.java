package dev.switchboard.controller.livekit;

import java.util.List;

/** The slice of LiveKit's AgentDispatchService the controller uses. One attempt each, never throwing. Needs roomAdmin for the room. */
public interface LiveKitDispatch {

    /** AgentDispatchService/CreateDispatch: LiveKit sends the named agent to the room (created if needed). Answers the dispatch id. */
    ApiAnswer<String> createDispatch(String room, String agentName, String metadata);

    /** AgentDispatchService/ListDispatch. */
    ApiAnswer<List<AgentDispatchInfo>> listDispatches(String room);
}
