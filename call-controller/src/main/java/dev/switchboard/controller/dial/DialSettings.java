package dev.switchboard.controller.dial;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** What the controller expects of an answered dial. Environment variable: SWITCHBOARD_DIAL_AGENT_JOIN_TIMEOUT. */
@ConfigMapping(prefix = "switchboard.dial")
public interface DialSettings {
    /** The shortest and the longest agent-join timeout the controller starts with. */
    Duration MIN_AGENT_JOIN_TIMEOUT = Duration.ofSeconds(1);
    Duration MAX_AGENT_JOIN_TIMEOUT = Duration.ofMinutes(10);

    /**
     * How long after a dial was answered an agent worker must report a session in the room; without one by then the
     * call is hung up (the callee would hear silence) and reported ended with reason ERROR.
     */
    @WithDefault("30s")
    Duration agentJoinTimeout();
}
