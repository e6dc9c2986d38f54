package dev.switchboard.gateway.watchdog;

import dev.switchboard.events.SessionCommand;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Reads {@code switchboard.session-commands} with the one group all gateway instances share
 * ({@code context-gateway-watchdog}), so each command is watched by exactly one instance. Acknowledged at once:
 * the watch is held in memory, and holding the offset for up to a command's lifetime would stall the commits.
 */
@ApplicationScoped
public class WatchdogListener {
    private static final Logger LOG = Logger.getLogger(WatchdogListener.class);

    private final Watchdog watchdog;

    WatchdogListener(Watchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Incoming("watchdog-commands")
    public CompletionStage<Void> onCommand(Message<SessionCommand> message) {
        SessionCommand command = message.getPayload();
        if (command == null) {
            // Undecodable (or a tombstone): the connector's dead-letter handler keeps the original bytes with the reason.
            LOG.warn("dead-lettering an undecodable session command");
            return message.nack(new IllegalArgumentException("not a decodable SessionCommand"));
        }
        watchdog.watch(command);
        return message.ack();
    }
}
