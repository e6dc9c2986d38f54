package dev.switchboard.gateway.health;

import dev.switchboard.gateway.kafka.CommandResultsProgress;
import dev.switchboard.gateway.kafka.SessionEventsProgress;
import dev.switchboard.gateway.sessions.SessionsRead;
import jakarta.inject.Singleton;

/**
 * Whether this instance knows enough to decide: the registry has read every session event that existed at start-up
 * and the results consumer is positioned. Until then a 404 could be wrong, and so could a watchdog answer.
 */
@Singleton
public class GatewayReadiness implements SessionsRead {
    private final SessionEventsProgress sessionEvents;
    private final CommandResultsProgress commandResults;

    GatewayReadiness(SessionEventsProgress sessionEvents, CommandResultsProgress commandResults) {
        this.sessionEvents = sessionEvents;
        this.commandResults = commandResults;
    }

    public boolean isReady() {
        return sessionEvents.caughtUp() && commandResults.caughtUp();
    }

    @Override
    public boolean allSessionsRead() {
        return sessionEvents.caughtUp();
    }
}
