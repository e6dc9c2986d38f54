package dev.switchboard.gateway.kafka;

import jakarta.inject.Singleton;

/** Progress of the consumer of the dials on the call-control topic ({@link DialsListener}). */
@Singleton
public class DialsProgress extends ConsumerProgress {
}
