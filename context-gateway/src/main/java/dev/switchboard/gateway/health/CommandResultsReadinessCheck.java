package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.CommandResultsProgress;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.health.Readiness;

/** DOWN until the results consumer is positioned (and has read its replay window), so no waiter can miss a result. */
@Readiness
@Singleton
public class CommandResultsReadinessCheck extends CatchUpReadinessCheck {
    public static final String NAME = "Command results consumer caught up";

    CommandResultsReadinessCheck(CommandResultsProgress progress) {
        super(NAME, progress);
    }
}
