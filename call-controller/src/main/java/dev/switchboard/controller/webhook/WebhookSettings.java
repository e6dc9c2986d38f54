package dev.switchboard.controller.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Environment variables: SWITCHBOARD_WEBHOOK_REMEMBER_FOR, SWITCHBOARD_WEBHOOK_MAX_AGE. */
@ConfigMapping(prefix = "switchboard.webhook")
public interface WebhookSettings {

    /** How long webhook ids (for de-duplicating LiveKit's retries) and callers' departures are remembered. */
    @WithDefault("10m")
    Duration rememberFor();

    /**
     * The oldest webhook accepted (by its createdAt); older ones are refused as stale, so an old delivery cannot be
     * replayed. Never more than {@link #rememberFor()}, within which a repeat is recognised by its id.
     */
    @WithDefault("5m")
    Duration maxAge();
}
