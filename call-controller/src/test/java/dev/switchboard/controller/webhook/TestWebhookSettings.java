package dev.switchboard.controller.webhook;

import java.time.Duration;

/** The settings as application.properties gives them, or changed for one test. */
record TestWebhookSettings(Duration rememberFor, Duration maxAge, Duration clockSkew, int maxRememberedIds)
        implements WebhookSettings {

    static TestWebhookSettings defaults() {
        return new TestWebhookSettings(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ofSeconds(30), 100_000);
    }
}
