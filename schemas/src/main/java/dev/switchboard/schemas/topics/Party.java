package dev.switchboard.schemas.topics;

/** Who writes to or reads from a topic: one of Switchboard's services, or the systems that integrate with it. */
public enum Party {
    CONTEXT_GATEWAY("context-gateway", "the HTTP API for live calls"),
    AGENT_WORKER("agent-worker", "runs the calls: the LiveKit agent"),
    CALL_CONTROLLER("call-controller", "the call lifecycle through LiveKit's server API"),
    TRANSCRIPT_SERVICE("transcript-service", "stores and serves transcripts"),
    INTEGRATIONS("integrations", "your own systems, in any language (see schemas/README.md)");

    private final String id;
    private final String description;

    Party(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The service's name ({@code agent-worker}), or {@code integrations} for the systems outside. */
    public String id() {
        return id;
    }

    public String description() {
        return description;
    }

    public boolean isSwitchboardService() {
        return this != INTEGRATIONS;
    }
}
