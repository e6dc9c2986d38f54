package dev.switchboard.controller.livekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Where LiveKit's server API is and how to sign for it. Environment variables: LIVEKIT_URL, LIVEKIT_API_KEY,
 * LIVEKIT_API_SECRET (mapped in application.properties), SWITCHBOARD_LIVEKIT_REQUEST_TIMEOUT,
 * SWITCHBOARD_LIVEKIT_AGENT_NAME (the same variable the agent worker registers under).
 */
@ConfigMapping(prefix = "switchboard.livekit")
public interface LiveKitSettings {

    /** The LiveKit server: ws://, wss://, http:// or https://. The server API is called over http(s). */
    Optional<String> url();

    Optional<String> apiKey();

    Optional<String> apiSecret();

    /** The longest one server API call may take (connect, send, answer); a hang-up retries after it. */
    @WithDefault("10s")
    Duration requestTimeout();

    /**
     * The agent dispatched to outbound calls when a dial names none: the name the agent worker registers with
     * (SWITCHBOARD_LIVEKIT_AGENT_NAME on both). Unset: no explicit dispatch, the agent then only comes to the room
     * through automatic dispatch and does not learn the dial's details.
     */
    Optional<String> agentName();

    /** All three of URL, key and secret are set. */
    default boolean configured() {
        return url().isPresent() && apiKey().isPresent() && apiSecret().isPresent();
    }
}
