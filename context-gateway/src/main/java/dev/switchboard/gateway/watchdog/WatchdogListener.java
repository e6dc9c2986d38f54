package dev.switchboard.gateway.watchdog;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.kit.kafka.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Reads {@code switchboard.session-commands} with the one group all gateway instances share
 * ({@code context-gateway-watchdog}), so each command is watched by exactly one instance. Acknowledged at once:
 * the watch is held in memory, and holding the offset for up to a command's lifetime would stall the commits.
 */
@ApplicationScoped
public class WatchdogListener {
    private final Watchdog watchdog;
    private final DeadLetters deadLetters;

    WatchdogListener(Watchdog watchdog, DeadLetters deadLetters) {
        this.watchdog = watchdog;
        this.deadLetters = deadLetters;
    }

    @Incoming("watchdog-commands")
    public CompletionStage<Void> onCommand(Message<SessionCommand> message) {
        return deadLetters.consume(message, watchdog::watch);
    }
}
