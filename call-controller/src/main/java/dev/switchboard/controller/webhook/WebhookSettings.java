package dev.switchboard.controller.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Environment variable: SWITCHBOARD_WEBHOOK_REMEMBER_FOR. */
@ConfigMapping(prefix = "switchboard.webhook")
public interface WebhookSettings {

    /** How long webhook ids (for de-duplicating LiveKit's retries) and callers' departures are remembered. */
    @WithDefault("10m")
    Duration rememberFor();
}
