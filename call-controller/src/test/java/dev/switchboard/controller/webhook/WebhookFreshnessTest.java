package dev.switchboard.controller.webhook;

import dev.switchboard.testing.MovableClock;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookFreshnessTest {
    private final MovableClock clock = new MovableClock();
    private final WebhookFreshness freshness = new WebhookFreshness(TestWebhookSettings.defaults(), clock);

    private WebhookEvent createdSecondsAgo(long seconds) {
        return WebhookEvent.newBuilder().setId("EV_1").setEvent("room_finished")
                .setCreatedAt(clock.instant().getEpochSecond() - seconds).build();
    }

    @Test
    void anEventUpToMaxAgeOldIsAcceptedAndOneSecondOlderIsStale() {
        assertThat(freshness.problem(createdSecondsAgo(0))).isEmpty();
        assertThat(freshness.problem(createdSecondsAgo(300))).isEmpty();
        assertThat(freshness.problem(createdSecondsAgo(301))).hasValueSatisfying(problem ->
                assertThat(problem).contains("stale webhook", "301 s ago", "300 s accepted", "switchboard.webhook.max-age"));
        assertThat(freshness.problem(createdSecondsAgo(600))).isPresent();
    }

    @Test
    void anEventFromTheFutureIsAcceptedOnlyWithinTheClockSkew() {
        assertThat(freshness.problem(createdSecondsAgo(-30))).isEmpty();
        assertThat(freshness.problem(createdSecondsAgo(-31))).hasValueSatisfying(problem ->
                assertThat(problem).contains("31 s in the future"));
    }

    @Test
    void anEventWithoutIdOrCreatedAtCannotBeGuardedAndIsRefused() {
        assertThat(freshness.problem(createdSecondsAgo(0).toBuilder().clearId().build())).hasValueSatisfying(problem ->
                assertThat(problem).contains("no id"));
        assertThat(freshness.problem(createdSecondsAgo(0).toBuilder().clearCreatedAt().build())).hasValueSatisfying(problem ->
                assertThat(problem).contains("no createdAt"));
    }

    @Test
    void anIdMustBeRememberedUntilItsEventIsStale() {
        WebhookEvent event = createdSecondsAgo(0);
        Instant until = freshness.acceptedUntil(event);
        clock.advance(Duration.between(clock.instant(), until).minusSeconds(1));
        assertThat(freshness.problem(event)).as("accepted just before").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(freshness.problem(event)).as("stale from then on").isPresent();
    }
}
