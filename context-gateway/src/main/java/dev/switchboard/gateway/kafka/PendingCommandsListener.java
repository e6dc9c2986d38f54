package dev.switchboard.gateway.kafka;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.kit.kafka.DeadLetters;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Reads every session command, on the broadcast topic and on every worker's own (per-instance group, by pattern, no
 * commits; positioned by {@link PendingCommandsStart}), so that every gateway instance knows a command while it is
 * pending, whoever sent it. With two replicas behind one Service, the {@code statusUrl} one of them answered may be
 * asked of the other: it answers PENDING, then the outcome (every instance reads every result), instead of 404; and a
 * retry with the same Idempotency-Key sent to the other is answered with the command already on its way instead of
 * sending it again.
 *
 * <p>The commands this instance sent are tracked already and passed over. Poison is dead-lettered as by every
 * consumer, naming this instance's group (the records replayed at the start were dead-lettered when they came, and are
 * only counted). A command read after its expiry is passed over: what became of it is told by its result. A command
 * whose result was read first is still read: the result alone does not say who sent it, when, or until when.
 */
@ApplicationScoped
public class PendingCommandsListener {
    private static final Logger LOG = Logger.getLogger(PendingCommandsListener.class);

    private final CommandStore commands;
    private final LiveSessionRegistry sessions;
    private final PendingCommandsProgress progress;
    private final DeadLetters deadLetters;
    private final Clock clock;

    PendingCommandsListener(CommandStore commands, LiveSessionRegistry sessions, PendingCommandsProgress progress,
                            DeadLetters deadLetters, Clock clock) {
        this.commands = commands;
        this.sessions = sessions;
        this.progress = progress;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Incoming("pending-commands-in")
    public CompletionStage<Void> onCommand(Message<SessionCommand> message) {
        return progress.consume(message, deadLetters, this::observe);
    }

    void observe(SessionCommand command) {
        Optional<TrackedCommand> known = commands.find(command.getCommandId());
        if (known.isPresent() && !known.get().isFromResultOnly()) {
            return; // sent by this instance, or read before: the usual case, passed over at once
        }
        Instant now = clock.instant();
        boolean expired = command.getExpiresAt() != null && command.getExpiresAt().isBefore(now);
        if (expired && known.isEmpty()) {
            return; // its result, if one comes, tells what became of it
        }
        // The session's tenant as its SessionStarted said, as for the commands this instance sends; the envelope's only
        // when the room has no session here (the watchdog answers such a command UNKNOWN_SESSION).
        Optional<LiveSession> session = sessions.find(command.getRoom());
        String tenant = session.map(LiveSession::tenant).orElse(Caller.tenantOrDefault(command.getTenant()));
        TrackedCommand seen = TrackedCommand.seen(command, session.map(LiveSession::sessionId).orElse(null), tenant, now);
        // Its result may have been read first (the results have their own consumer): the store then adds what the
        // command says to that result, even past the command's expiry, so it shows who sent it.
        commands.learn(seen, !expired).ifPresent(tracked -> LOG.debugf("room %s: %s %s sent elsewhere is %s",
                command.getRoom(), tracked.type(), tracked.commandId(), tracked.isDecided() ? "decided" : "pending"));
    }
}
