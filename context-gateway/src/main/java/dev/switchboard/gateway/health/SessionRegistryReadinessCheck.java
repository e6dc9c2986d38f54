package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.SessionEventsProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the live-session registry has read the session events that existed at start-up. */
@Readiness
@ApplicationScoped
public class SessionRegistryReadinessCheck implements HealthCheck {
    public static final String NAME = "Live-session registry caught up";

    private final SessionEventsProgress progress;

    SessionRegistryReadinessCheck(SessionEventsProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).status(progress.caughtUp());
        progress.describe().forEach(response::withData);
        return response.build();
    }
}
