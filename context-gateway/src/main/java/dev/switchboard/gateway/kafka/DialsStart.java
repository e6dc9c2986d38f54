package dev.switchboard.gateway.kafka;

import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Positions the consumer of the dials ({@link DialsListener}) at the dials of the sessions' retention, so that a
 * restarted instance knows what every call it remembers asked for (a retry with a dial's Idempotency-Key must ask for
 * the same call, and the outcome events alone do not say what the dial asked for). Readiness waits until they are read.
 */
@Singleton
@Identifier(DialsStart.NAME)
public class DialsStart extends ReplayWindowStart {
    public static final String NAME = "context-gateway-dials-start";

    DialsStart(DialsProgress progress, GatewayConfig config, Clock clock) {
        super(progress, config.sessions().endedRetention(), clock, "the dials");
    }
}
