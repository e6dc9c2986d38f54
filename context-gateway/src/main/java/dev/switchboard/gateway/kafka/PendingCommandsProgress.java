package dev.switchboard.gateway.kafka;

import jakarta.inject.Singleton;

/** Progress of the consumer of every session command ({@link PendingCommandsListener}). */
@Singleton
public class PendingCommandsProgress extends ConsumerProgress {
}
