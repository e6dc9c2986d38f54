package dev.switchboard.gateway.routing;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.watchdog.Watchdog;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.RecordTraces;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Reads every session command once per gateway cluster (groups shared by all instances, so each command is handled by
 * exactly one instance):
 * <ul>
 *   <li>the broadcast topic ({@code context-gateway-watchdog}): each command is forwarded to the worker's own topic
 *       when its session announced one, else handed to the {@link Watchdog} ({@link CommandForwarder}); acknowledged
 *       once it is where it belongs;</li>
 *   <li>every worker's own topic, by pattern ({@code context-gateway-watchdog-directed}): the commands the gateway, the
 *       Java client or the forwarder sent there are watched. Acknowledged at once: the watch is held in memory, and
 *       holding the offset for up to a command's lifetime would stall the commits.</li>
 * </ul>
 *
 * <p>In {@code routing}, next to the forwarder it feeds, rather than in {@code watchdog}: the forwarder hands the
 * commands it cannot deliver to the watchdog, so the watchdog must not in turn depend on the forwarder.
 */
@ApplicationScoped
public class WatchdogListener {
    private final Watchdog watchdog;
    private final CommandForwarder forwarder;
    private final DeadLetters deadLetters;
    private final RecordTraces traces;

    WatchdogListener(Watchdog watchdog, CommandForwarder forwarder, DeadLetters deadLetters, RecordTraces traces) {
        this.watchdog = watchdog;
        this.forwarder = forwarder;
        this.deadLetters = deadLetters;
        this.traces = traces;
    }

    /** The forwarded record continues the sender's trace (its {@code traceparent} header), as a direct send would. */
    @Incoming("watchdog-commands")
    public CompletionStage<Void> onBroadcastCommand(Message<SessionCommand> message) {
        return deadLetters.consumeAsync(message, command -> forwarder.route(command, traces.contextOf(message)));
    }

    @Incoming("watchdog-directed-commands")
    public CompletionStage<Void> onDirectedCommand(Message<SessionCommand> message) {
        return deadLetters.consume(message, watchdog::watch);
    }
}
