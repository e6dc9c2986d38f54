package dev.switchboard.schemas.topics;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

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

    /**
     * The topics this party writes, which are what Kafka's ACLs must let it write: those it produces and, for a
     * service, the dead-letter twins of those it reads (it dead-letters their poison records).
     */
    public Set<Topic> writes() {
        return Arrays.stream(Topic.values())
                .filter(topic -> topic.producers().contains(this)
                        || (isSwitchboardService() && topic.deadLetterOf().map(origin -> origin.consumers().contains(this)).orElse(false)))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Topic.class)));
    }

    /** The topics this party reads. */
    public Set<Topic> reads() {
        return Arrays.stream(Topic.values()).filter(topic -> topic.consumers().contains(this))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Topic.class)));
    }
}
