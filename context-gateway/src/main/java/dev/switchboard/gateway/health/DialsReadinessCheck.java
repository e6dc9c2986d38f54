package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.DialsProgress;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the dials of the sessions' retention are read, so a retried dial is recognised from the first request. */
@Readiness
@Singleton
public class DialsReadinessCheck extends CatchUpReadinessCheck {
    public static final String NAME = "Dials read";

    DialsReadinessCheck(DialsProgress progress) {
        super(NAME, progress);
    }
}
