package dev.switchboard.controller.livekit;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports what the controller knows about LiveKit (configured or not, the last server API call) without ever
 * reporting DOWN. Readiness decides whether the controller gets Kafka partitions and webhook traffic; taking it out
 * of service while LiveKit is unreachable would stop hang-ups from being retried and webhooks from being received,
 * and LiveKit retries webhooks anyway. LiveKit's health is watched through the latency and failure metrics.
 */
@Readiness
@ApplicationScoped
public class LiveKitReadinessCheck implements HealthCheck {
    private final LiveKitClients livekit;

    LiveKitReadinessCheck(LiveKitClients livekit) {
        this.livekit = livekit;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("LiveKit server API").up()
                .withData("configured", livekit.rooms().isPresent());
        livekit.apiBase().ifPresent(url -> response.withData("url", url));
        livekit.lastCall().ifPresent(last -> {
            response.withData("lastCall", last.operation() + " " + last.result() + " at " + last.at());
            if (last.message() != null) {
                response.withData("lastCallMessage", last.message());
            }
        });
        return response.build();
    }
}
