package dev.switchboard.gateway.kafka;

import jakarta.inject.Singleton;

/** Progress of the live-session registry's consumer of {@code switchboard.session-events}. */
@Singleton
public class SessionEventsProgress extends ConsumerProgress {
}
