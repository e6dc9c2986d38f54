package dev.switchboard.gateway.routing;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.gateway.commands.CommandPublisher;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.GatewayTimers;
import dev.switchboard.gateway.health.GatewayReadiness;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.watchdog.Watchdog;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.context.Context;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Takes the commands that systems which know only the room write to the broadcast topic to the worker that runs the
 * room: a session that announced its worker's own topic gets the command there (the watchdog then reads it from that
 * topic like any directed command); a session whose worker reads the broadcast topic has it already, and the watchdog
 * watches it here. A command whose room has no live session yet waits, for the watchdog's unknown-session grace, for
 * the SessionStarted that may be a moment behind it, then goes to the watchdog, which answers UNKNOWN_SESSION at once
 * (the grace counts from when the command arrived, once, not again in the watchdog).
 *
 * <p>A room's commands leave in the order they came (one waiting command holds back those behind it), and each stage
 * completes only once the command is where it belongs, so the broadcast record is acknowledged only then: a gateway
 * that dies mid-way leaves it to the instance that takes its partitions over (the worker ignores a second copy by
 * commandId). A forward the broker refuses is retried until the command expires (30 s at most), then left to the
 * watchdog, which answers EXPIRED.
 */
@ApplicationScoped
public class CommandForwarder {
    private static final Logger LOG = Logger.getLogger(CommandForwarder.class);
    private static final Duration LOOK_AGAIN = Duration.ofMillis(50);
    private static final Duration RETRY = Duration.ofMillis(500);
    /**
     * The longest a command is held: the broadcast record stays unacknowledged meanwhile, and the connector reports a
     * record unacknowledged for a minute as a stuck channel.
     */
    private static final Duration LONGEST_HOLD = Duration.ofSeconds(30);

    /** Until when a command may wait for its room's session, and until when for this gateway or the broker. */
    private record Deadlines(Instant session, Instant retries) {
    }

    private final LiveSessionRegistry registry;
    private final CommandPublisher publisher;
    private final Watchdog watchdog;
    private final GatewayReadiness readiness;
    private final GatewayTimers timers;
    private final Clock clock;
    private final Duration grace;
    private final Counter forwarded;
    /** Per room, the routing of its latest command: the next one starts when it is done. */
    private final ConcurrentMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    CommandForwarder(LiveSessionRegistry registry, CommandPublisher publisher, Watchdog watchdog, GatewayReadiness readiness,
                     GatewayTimers timers, Clock clock, GatewayConfig config, MeterRegistry metrics) {
        this.registry = registry;
        this.publisher = publisher;
        this.watchdog = watchdog;
        this.readiness = readiness;
        this.timers = timers;
        this.clock = clock;
        this.grace = config.watchdog().unknownSessionGrace();
        this.forwarded = metrics.counter("switchboard.gateway.commands.forwarded");
    }

    /**
     * Routes a command read from the broadcast topic; completes when it is where it belongs. {@code sent}: the trace the
     * sender put on the record, which the forwarded record carries on.
     */
    public CompletionStage<Void> route(SessionCommand command, Context sent) {
        CompletableFuture<Void> routed = new CompletableFuture<>();
        CompletableFuture<Void> before = tails.put(command.getRoom(), routed);
        Instant now = clock.instant();
        Instant expires = command.getExpiresAt();
        Instant hold = now.plus(LONGEST_HOLD);
        Deadlines deadlines = new Deadlines(now.plus(grace), expires.isBefore(hold) ? expires : hold);
        Runnable start = sent.wrap(() -> attempt(command, deadlines, routed));
        if (before == null) {
            start.run();
        } else {
            before.whenComplete((ignored, error) -> start.run());
        }
        routed.whenComplete((ignored, error) -> tails.remove(command.getRoom(), routed));
        return routed;
    }

    private void attempt(SessionCommand command, Deadlines deadlines, CompletableFuture<Void> routed) {
        try {
            if (!readiness.isReady()) {
                // Before this instance has caught up with the session events, "no session" may only mean "not read yet".
                later(command, deadlines.retries(), LOOK_AGAIN, deadlines, routed);
                return;
            }
            Optional<LiveSession> session = registry.find(command.getRoom()).filter(s -> s.state().hasWorker());
            if (session.isEmpty()) {
                if (clock.instant().isBefore(deadlines.session())) {
                    timers.schedule(LOOK_AGAIN, Context.current().wrap(() -> attempt(command, deadlines, routed)));
                } else {
                    watch(command, deadlines, routed); // nobody runs the room: the watchdog answers UNKNOWN_SESSION
                }
                return;
            }
            String topic = session.get().commandTopic();
            if (topic == null) {
                watch(command, deadlines, routed); // its worker reads the broadcast topic
                return;
            }
            publisher.publish(command, topic).subscribe().with(
                    sent -> {
                        forwarded.increment();
                        LOG.debugf("room %s: forwarded %s to %s", command.getRoom(), command.getCommandId(), topic);
                        routed.complete(null);
                    },
                    failure -> {
                        LOG.warnf("room %s: could not forward %s to %s: %s", command.getRoom(), command.getCommandId(), topic,
                                failure.getMessage());
                        later(command, deadlines.retries(), RETRY, deadlines, routed);
                    });
        } catch (RuntimeException e) {
            LOG.errorf(e, "room %s: could not route command %s; the watchdog answers it", command.getRoom(), command.getCommandId());
            watch(command, deadlines, routed);
        }
    }

    /** Tries again after {@code delay} if that is before {@code until}; else leaves the command to the watchdog. */
    private void later(SessionCommand command, Instant until, Duration delay, Deadlines deadlines, CompletableFuture<Void> routed) {
        if (clock.instant().plus(delay).isBefore(until)) {
            timers.schedule(delay, Context.current().wrap(() -> attempt(command, deadlines, routed)));
        } else {
            LOG.warnf("room %s: command %s could not be forwarded in time; the watchdog answers it", command.getRoom(),
                    command.getCommandId());
            watch(command, deadlines, routed);
        }
    }

    /**
     * Leaves the command to the watchdog, which looks at its room once the grace since the command arrived is over. A
     * command the watchdog refuses (the id of a decided command on another command) fails the routing, and the listener
     * dead-letters the record.
     */
    private void watch(SessionCommand command, Deadlines deadlines, CompletableFuture<Void> routed) {
        try {
            watchdog.watch(command, deadlines.session());
            routed.complete(null);
        } catch (RuntimeException e) {
            routed.completeExceptionally(e);
        }
    }
}
