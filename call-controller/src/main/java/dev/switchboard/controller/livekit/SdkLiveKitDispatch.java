package dev.switchboard.controller.livekit;

import io.livekit.server.AgentDispatchServiceClient;
import livekit.LivekitAgentDispatch.AgentDispatch;

import java.util.List;

/** {@link LiveKitDispatch} through LiveKit's server SDK ({@link AgentDispatchServiceClient}, roomAdmin for the room). */
public final class SdkLiveKitDispatch implements LiveKitDispatch {
    private final AgentDispatchServiceClient client;
    private final LiveKitCalls calls;

    SdkLiveKitDispatch(AgentDispatchServiceClient client, LiveKitCalls calls) {
        this.client = client;
        this.calls = calls;
    }

    @Override
    public ApiAnswer<String> createDispatch(String room, String agentName, String metadata) {
        return calls.execute("CreateDispatch", () -> client.createDispatch(room, agentName, metadata), null).map(AgentDispatch::getId);
    }

    @Override
    public ApiAnswer<List<AgentDispatchInfo>> listDispatches(String room) {
        return calls.execute("ListDispatch", () -> client.listDispatch(room), null)
                .map(all -> all == null ? List.of()
                        : all.stream().map(d -> new AgentDispatchInfo(d.getId(), d.getAgentName(), d.getMetadata())).toList());
    }
}
