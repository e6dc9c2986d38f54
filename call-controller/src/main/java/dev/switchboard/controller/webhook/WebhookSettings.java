package dev.switchboard.controller.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Environment variables: SWITCHBOARD_WEBHOOK_REMEMBER_FOR, SWITCHBOARD_WEBHOOK_MAX_AGE, SWITCHBOARD_WEBHOOK_CLOCK_SKEW,
 * SWITCHBOARD_WEBHOOK_MAX_REMEMBERED_IDS.
 */
@ConfigMapping(prefix = "switchboard.webhook")
public interface WebhookSettings {

    /** How long callers' departures are remembered (to say why a room finished). */
    @WithDefault("10m")
    Duration rememberFor();

    /**
     * The oldest webhook accepted (by its createdAt); older ones are refused as stale, so an old delivery cannot be
     * replayed. Within it a repeat is recognised by its id: ids are remembered as long as their event is accepted.
     */
    @WithDefault("5m")
    Duration maxAge();

    /**
     * Tolerated difference between LiveKit's clock and ours: for the signature's exp and nbf, and for an event
     * stamped in the future.
     */
    @WithDefault("30s")
    Duration clockSkew();

    /**
     * The most webhook ids remembered at once. Only correctly signed webhooks are remembered, so this bounds memory
     * against LiveKit's own rate (about five remembered events per call within max-age); when it is reached, new
     * events are answered 503 (LiveKit retries) rather than accepted unguarded.
     */
    @WithDefault("100000")
    int maxRememberedIds();
}
