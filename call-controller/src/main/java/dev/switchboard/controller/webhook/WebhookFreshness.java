package dev.switchboard.controller.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitWebhook.WebhookEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses a signed webhook that is too old or from the future, so a captured delivery cannot be replayed once its
 * id has been forgotten: the acceptance window never outlasts how long ids are remembered
 * ({@link WebhookSettings#rememberFor()}), and within it a repeat is recognised by its id. LiveKit's own signature
 * token expires too (the SDK checks {@code exp}); this also covers a long-lived token.
 */
@ApplicationScoped
public class WebhookFreshness {
    /** Tolerated difference between LiveKit's clock and ours for an event stamped in the future. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Clock clock;
    private final Duration maxAge;

    WebhookFreshness(WebhookSettings settings, Clock clock) {
        this.clock = clock;
        this.maxAge = settings.maxAge().compareTo(settings.rememberFor()) < 0 ? settings.maxAge() : settings.rememberFor();
    }

    /** Why the event is not fresh; empty when it is. */
    public Optional<String> problem(WebhookEvent event) {
        if (event.getCreatedAt() <= 0) {
            return Optional.of("the webhook has no createdAt, so its age cannot be checked");
        }
        Instant created = Instant.ofEpochSecond(event.getCreatedAt());
        Duration age = Duration.between(created, clock.instant());
        if (age.compareTo(maxAge) > 0) {
            return Optional.of("stale webhook: created " + age.toSeconds() + " s ago, more than the " + maxAge.toSeconds()
                    + " s accepted (switchboard.webhook.max-age)");
        }
        if (age.negated().compareTo(CLOCK_SKEW) > 0) {
            return Optional.of("webhook created " + age.negated().toSeconds() + " s in the future; check the clocks of LiveKit and this host");
        }
        return Optional.empty();
    }
}
