package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.CommandResultsProgress;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the results consumer is positioned (and has read its replay window), so no waiter can miss a result. */
@Readiness
@ApplicationScoped
public class CommandResultsReadinessCheck implements HealthCheck {
    public static final String NAME = "Command results consumer caught up";

    private final CommandResultsProgress progress;

    CommandResultsReadinessCheck(CommandResultsProgress progress) {
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME).status(progress.caughtUp());
        progress.describe().forEach(response::withData);
        return response.build();
    }
}
