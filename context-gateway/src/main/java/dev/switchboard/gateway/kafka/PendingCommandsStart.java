package dev.switchboard.gateway.kafka;

import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Positions the consumer of every session command ({@link PendingCommandsListener}). A partition it never read starts
 * at the commands sent within the results' replay window: at start-up, so a restarted instance knows the commands
 * still pending as it knows their results; and for a worker's topic found later (workers create theirs when they
 * start; the pattern subscription finds it within the metadata refresh), so the commands sent to it meanwhile are
 * read. A partition read before resumes where it stopped: the group commits nothing, and a new topic makes the group
 * assign every partition again.
 */
@Singleton
@Identifier(PendingCommandsStart.NAME)
public class PendingCommandsStart extends ReplayWindowStart {
    public static final String NAME = "context-gateway-pending-commands-start";

    PendingCommandsStart(PendingCommandsProgress progress, GatewayConfig config, Clock clock) {
        super(progress, config.results().replayWindow(), clock, "the session commands");
    }
}
