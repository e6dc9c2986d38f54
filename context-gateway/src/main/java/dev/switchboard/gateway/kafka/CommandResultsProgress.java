package dev.switchboard.gateway.kafka;

import jakarta.inject.Singleton;

/** Progress of the consumer of {@code switchboard.command-results}. */
@Singleton
public class CommandResultsProgress extends ConsumerProgress {
}
