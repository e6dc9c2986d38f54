package dev.switchboard.controller.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitWebhook.WebhookEvent;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Refuses a signed webhook that is too old or from the future, so a captured delivery cannot be replayed once its
 * id has been forgotten: ids are remembered for as long as this accepts their event ({@link SeenWebhooks}), and
 * within that window a repeat is recognised by its id. A webhook without an id or createdAt could not be guarded
 * either way, so it is refused too (LiveKit sets both on every event).
 */
@ApplicationScoped
public class WebhookFreshness {
    private final Clock clock;
    private final Duration maxAge;
    private final Duration clockSkew;

    WebhookFreshness(WebhookSettings settings, Clock clock) {
        this.clock = clock;
        this.maxAge = settings.maxAge();
        this.clockSkew = settings.clockSkew();
    }

    /** Why the event is not fresh; empty when it is. */
    public Optional<String> problem(WebhookEvent event) {
        if (event.getId().isBlank()) {
            return Optional.of("the webhook has no id, so a repeat of it cannot be recognised");
        }
        if (event.getCreatedAt() <= 0) {
            return Optional.of("the webhook has no createdAt, so its age cannot be checked");
        }
        Duration age = Duration.between(Instant.ofEpochSecond(event.getCreatedAt()), clock.instant());
        if (age.compareTo(maxAge) > 0) {
            return Optional.of("stale webhook: created " + age.toSeconds() + " s ago, more than the " + maxAge.toSeconds()
                    + " s accepted (switchboard.webhook.max-age)");
        }
        if (age.negated().compareTo(clockSkew) > 0) {
            return Optional.of("webhook created " + age.negated().toSeconds() + " s in the future; check the clocks of LiveKit and this host");
        }
        return Optional.empty();
    }

    /** When the event stops being accepted: until then its id must be remembered. */
    public Instant acceptedUntil(WebhookEvent event) {
        return Instant.ofEpochSecond(event.getCreatedAt()).plus(maxAge).plusSeconds(1); // createdAt is whole seconds
    }
}
