package dev.switchboard.gateway.kafka;

import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * Positions the results consumer a little before "now" (the replay window) on the first assignment, so a restarted
 * gateway knows the results of commands answered while it was down; where it stopped on a re-assignment. The position
 * is resolved before readiness turns UP, so no result published after that can be missed by a waiter.
 */
@Singleton
@Identifier(CommandResultsStart.NAME)
public class CommandResultsStart extends ReplayWindowStart {
    public static final String NAME = "context-gateway-command-results-start";

    CommandResultsStart(CommandResultsProgress progress, GatewayConfig config, Clock clock) {
        super(progress, config.results().replayWindow(), clock, "command results");
    }
}
