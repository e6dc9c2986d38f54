package dev.switchboard.worker.heartbeat;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How often the worker tells the call controller it is alive ({@code SWITCHBOARD_WORKER_HEARTBEAT_INTERVAL}). The
 * controller declares a worker lost after its own silence window, which must stay a few intervals longer than this.
 */
@ConfigMapping(prefix = "switchboard.worker.heartbeat")
public interface HeartbeatSettings {

    @WithDefault("3s")
    Duration interval();
}
