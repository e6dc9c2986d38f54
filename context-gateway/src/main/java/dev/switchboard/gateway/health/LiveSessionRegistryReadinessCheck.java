package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.SessionEventsProgress;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the live-session registry has read the session events that existed at start-up. */
@Readiness
@Singleton
public class LiveSessionRegistryReadinessCheck extends CatchUpReadinessCheck {
    public static final String NAME = "Live-session registry caught up";

    LiveSessionRegistryReadinessCheck(SessionEventsProgress progress) {
        super(NAME, progress);
    }
}
