package dev.switchboard.worker.livekit;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * How the worker joins LiveKit. Environment variables: LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET,
 * SWITCHBOARD_LIVEKIT_AGENT_NAME, SWITCHBOARD_LIVEKIT_MAX_SESSIONS, ...
 */
@ConfigMapping(prefix = "switchboard.livekit")
public interface LiveKitSettings {

    /** The LiveKit server (ws://, wss://, http:// or https://); without it the worker runs simulated calls only. */
    Optional<String> url();

    Optional<String> apiKey();

    Optional<String> apiSecret();

    /** Absent: LiveKit dispatches this agent to every new room. A name: only explicit dispatches (CreateDispatch, SIP rules). */
    Optional<String> agentName();

    /** How many calls one worker takes at most. */
    @WithDefault("25")
    int maxSessions();

    /** The load (running calls / maxSessions) at which the worker reports itself full and declines new calls. */
    @WithDefault("0.9")
    double fullLoad();

    /** On shutdown: how long running calls may continue before the worker leaves anyway. */
    @WithDefault("10m")
    Duration drainTimeout();

    /** How often the worker pings the server and reports its load. */
    @WithDefault("10s")
    Duration statusInterval();

    /** The longest wait between reconnection attempts (the wait doubles from 1 s). */
    @WithDefault("30s")
    Duration maxReconnectDelay();

    default boolean configured() {
        return url().isPresent() && apiKey().isPresent() && apiSecret().isPresent();
    }
}
