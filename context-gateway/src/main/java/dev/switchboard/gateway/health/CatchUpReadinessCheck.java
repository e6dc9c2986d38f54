package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.ConsumerProgress;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/** DOWN until a consumer has read what its topic held at start-up; its positions are the check's data. */
abstract class CatchUpReadinessCheck implements HealthCheck {
    private final String name;
    private final ConsumerProgress progress;

    CatchUpReadinessCheck(String name, ConsumerProgress progress) {
        this.name = name;
        this.progress = progress;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(name).status(progress.caughtUp());
        progress.describe().forEach(response::withData);
        return response.build();
    }
}
