package dev.switchboard.gateway.watchdog;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CallControlWatch;
import dev.switchboard.gateway.commands.CommandMetrics;
import dev.switchboard.gateway.commands.CommandOutcome;
import dev.switchboard.gateway.commands.CommandPublisher;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.RequestFingerprint;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.GatewayTimers;
import dev.switchboard.gateway.health.GatewayReadiness;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.WorkerLost;
import dev.switchboard.kit.kafka.InvalidRecordException;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Answers the commands nobody else will, so that no command stays silent:
 * <ul>
 *   <li>UNKNOWN_SESSION when the command's room has no live session a short grace after the command arrived
 *       (the SessionStarted may be a moment behind the command);</li>
 *   <li>EXPIRED when the room is live but no result came by expiresAt plus a grace (the worker died or lost it; for a
 *       transfer, the call controller the worker handed it to may not have answered either); but at once, as
 *       UNKNOWN_SESSION, when the session ends with reason WORKER_LOST before that: its worker will never answer (a
 *       session that ends otherwise is left to its worker, which answers what it was carrying out);</li>
 *   <li>EXPIRED, the same grace after its expiry, for a call-control request this instance published (an immediate
 *       hang-up, a dial) that the call controller did not answer ({@link CallControlWatch}): no controller was running
 *       or reading the topic. A dial so answered ends FAILED with failure.reason EXPIRED, as any dial whose
 *       CommandResult says EXPIRED. Each such request is watched by the one instance that published it, so it is answered once.</li>
 * </ul>
 * A command that already has a result is left alone; an answer is a CommandResult like anyone's, so every instance and
 * any Kafka client sees it, and the first result of a command stands (a late one from the worker or the controller
 * changes nothing). Decisions wait until this instance has caught up with the
 * session events and results, because before that "no session" and "no result" may only mean "not read yet".
 * Each answer is audited like a worker's decision, naming the command's issuer: a command that reached no call
 * is still a record of who tried what.
 */
@Startup // its notion of "commands older than this instance" starts with the application
@ApplicationScoped
public class Watchdog implements CallControlWatch {
    private static final Logger LOG = Logger.getLogger(Watchdog.class);
    private static final Duration NOT_READY_RETRY = Duration.ofSeconds(1);
    private static final int PUBLISH_ATTEMPTS = 5;
    private static final String SERVICE = "context-gateway";

    private final LiveSessionRegistry registry;
    private final CommandStore store;
    private final OutboundCalls calls;
    private final CommandPublisher publisher;
    private final GatewayReadiness readiness;
    private final GatewayTimers timers;
    private final CommandMetrics metrics;
    private final Clock clock;
    private final GatewayConfig.Watchdog config;
    /** Results of commands issued before this are unknown to this instance (they precede its replay window). */
    private final Instant oldestAnswerable;
    /** Per room, the commands this instance watches that are not yet answered (for a session whose worker is lost). */
    private final ConcurrentMap<String, Set<SessionCommand>> watched = new ConcurrentHashMap<>();

    Watchdog(LiveSessionRegistry registry, CommandStore store, OutboundCalls calls, CommandPublisher publisher,
             GatewayReadiness readiness, GatewayTimers timers, CommandMetrics metrics, Clock clock, GatewayConfig config) {
        this.registry = registry;
        this.store = store;
        this.calls = calls;
        this.publisher = publisher;
        this.readiness = readiness;
        this.timers = timers;
        this.metrics = metrics;
        this.clock = clock;
        this.config = config.watchdog();
        this.oldestAnswerable = clock.instant().minus(config.results().replayWindow());
    }

    /** Starts watching a command that was just read from the command topic. */
    public void watch(SessionCommand command) {
        watch(command, clock.instant().plus(config.unknownSessionGrace()));
    }

    /**
     * Starts watching a command whose room is looked at {@code roomCheckAt}: one grace after the command arrived. The
     * forwarder, which already waited for the room's session, hands over a command when its grace is over, so the
     * watchdog answers UNKNOWN_SESSION at once rather than after a second grace.
     */
    public void watch(SessionCommand command, Instant roomCheckAt) {
        if (!config.enabled()) {
            return;
        }
        if (command.getIssuedAt().isBefore(oldestAnswerable)) {
            // Published before this instance could see results: answering now might contradict a worker's answer.
            LOG.debugf("room %s: not watching %s, issued at %s before this instance's view of results",
                    command.getRoom(), command.getCommandId(), command.getIssuedAt());
            return;
        }
        Duration untilCheck = Duration.between(clock.instant(), roomCheckAt);
        Duration delay = untilCheck.isNegative() ? Duration.ZERO : untilCheck;
        Optional<TrackedCommand> decided = store.find(command.getCommandId()).filter(TrackedCommand::isDecided);
        if (decided.isPresent()) {
            refuseReuseWithoutWorker(command, decided.get());
            timers.schedule(delay, () -> answerAgain(command, decided.get()));
            return;
        }
        watched.computeIfAbsent(command.getRoom(), room -> ConcurrentHashMap.newKeySet()).add(command);
        timers.schedule(delay, () -> checkRoom(command));
    }

    /**
     * A decided command's id on a command that asks for something else, while no worker runs its room (a worker that
     * does refuses it itself, as it would on a live session): dead-lettered, so the sender learns of the mistake, with no
     * second result under the id, which the first already answers.
     *
     * @throws InvalidRecordException when the id is reused so
     */
    private void refuseReuseWithoutWorker(SessionCommand command, TrackedCommand first) {
        if (RequestFingerprint.differs(first.fingerprint(), RequestFingerprint.of(command.getPayload())) && !workerRuns(command.getRoom())) {
            metrics.commandIdReused(TrackedCommand.typeOf(command.getPayload()));
            throw new InvalidRecordException("commandId " + command.getCommandId() + " was already used for another command ("
                    + first.type() + "); use a new commandId for a new command");
        }
    }

    /**
     * A command sent again after it was decided (a retry after a timeout, a replay): a worker running its room answers it
     * itself, with the first decision; when none does (the session ended, or there never was one), nobody else would,
     * so the first decision is published again here, as it was.
     */
    private void answerAgain(SessionCommand command, TrackedCommand first) {
        if (!readiness.isReady()) {
            timers.schedule(NOT_READY_RETRY, () -> answerAgain(command, first));
            return;
        }
        if (workerRuns(command.getRoom())) {
            return;
        }
        CommandResult again = first.decision().orElseThrow().asResult(command.getCommandId(), command.getRoom(), first.type());
        publisher.publish(again).subscribe().with(
                published -> LOG.infof("room %s: %s %s was sent again after it was decided; no worker runs the room, so its first"
                        + " decision (%s) was published again", command.getRoom(), first.type(), command.getCommandId(), again.getStatus()),
                failure -> LOG.warnf("room %s: the first decision of %s, sent again, could not be published again: %s",
                        command.getRoom(), command.getCommandId(), failure.getMessage()));
    }

    private boolean workerRuns(String room) {
        return registry.find(room).filter(session -> session.state().hasWorker()).isPresent();
    }

    /**
     * The room's session ended because its worker stopped answering: the commands waiting for it are answered now, as a
     * command sent to the ended session would be, not when they expire. A command answered meanwhile is left alone; the
     * timers already set find it answered.
     */
    void workerLost(@Observes WorkerLost lost) {
        Set<SessionCommand> pending = watched.remove(lost.room());
        if (pending != null) {
            pending.forEach(this::checkRoom);
        }
    }

    private void forget(SessionCommand command) {
        watched.computeIfPresent(command.getRoom(), (room, commands) -> {
            commands.remove(command);
            return commands.isEmpty() ? null : commands;
        });
    }

    private void checkRoom(SessionCommand command) {
        if (!readiness.isReady()) {
            timers.schedule(NOT_READY_RETRY, () -> checkRoom(command));
            return;
        }
        if (isAnswered(command)) {
            forget(command);
            return;
        }
        Optional<LiveSession> session = registry.find(command.getRoom());
        if (session.isEmpty() || !session.get().state().hasWorker()) {
            forget(command);
            String tenant = session.map(LiveSession::tenant).orElse(command.getTenant());
            answer(command, CommandStatus.UNKNOWN_SESSION, noWorkerReason(command.getRoom(), session), null, tenant);
            return;
        }
        checkExpiry(command, session.get().sessionId(), session.get().tenant());
    }

    private void checkExpiry(SessionCommand command, String sessionId, String tenant) {
        Instant deadline = command.getExpiresAt().plus(config.expiryGrace());
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isPositive()) {
            // The timer runs on its own clock: never answer before the deadline as the wall clock tells it.
            timers.schedule(left, () -> checkExpiry(command, sessionId, tenant));
            return;
        }
        forget(command);
        if (!isAnswered(command)) {
            answer(command, CommandStatus.EXPIRED, expiredReason(command), sessionId, tenant);
        }
    }

    private boolean isAnswered(SessionCommand command) {
        return store.find(command.getCommandId()).map(TrackedCommand::isDecided).orElse(false);
    }

    @Override
    public void watch(CallControlRequest request, String sessionId, String tenant) {
        if (config.enabled()) {
            checkCallControl(request, sessionId, tenant);
        }
    }

    private void checkCallControl(CallControlRequest request, String sessionId, String tenant) {
        Duration left = Duration.between(clock.instant(), CallControlWatch.answerDeadline(request, config));
        if (left.isPositive()) {
            timers.schedule(left, () -> checkCallControl(request, sessionId, tenant));
            return;
        }
        if (isAnswered(request)) {
            return;
        }
        CommandResult result = result(request.getCommandId(), request.getRoom(), TrackedCommand.typeOf(request.getPayload()),
                CommandStatus.EXPIRED, "the call controller did not answer before the request expired at " + request.getExpiresAt(),
                sessionId, tenant);
        answer(result, () -> isAnswered(request), answered -> {
            store.decide(answered);
            calls.commandResult(answered); // a dial ends FAILED (EXPIRED), as by the controller's own EXPIRED
        }, answered -> AuditRecords.ofCallControl(request, answered.getStatus().name(), answered.getReason(), sessionId,
                answered.getDecidedAt(), SERVICE), 1);
    }

    /** Answered: a hang-up decided (its CallEnded, a result); a dial answered, failed or refused. Forgotten: nothing to do. */
    private boolean isAnswered(CallControlRequest request) {
        if (request.getPayload() instanceof DialRequested) {
            return calls.findByCommand(request.getCommandId()).map(OutboundCall::isDialed).orElse(true);
        }
        return store.find(request.getCommandId()).map(TrackedCommand::isDecided).orElse(true);
    }

    /** {@code tenant}: the session's, as a worker would name it; the command's own when no session is known. */
    private void answer(SessionCommand command, CommandStatus status, String reason, String sessionId, String tenant) {
        CommandResult result = result(command.getCommandId(), command.getRoom(), TrackedCommand.typeOf(command.getPayload()),
                status, reason, sessionId, tenant);
        answer(result, () -> isAnswered(command), store::decide, answered -> AuditRecords.ofCommand(command, answered, SERVICE), 1);
    }

    private CommandResult result(String commandId, String room, String type, CommandStatus status, String reason,
                                 String sessionId, String tenant) {
        return CommandResult.newBuilder()
                .setCommandId(commandId)
                .setRoom(room)
                .setCommandType(type)
                .setStatus(status)
                .setReason(reason)
                .setDecidedAt(clock.instant().truncatedTo(ChronoUnit.MILLIS))
                .setSessionId(sessionId)
                .setTenant(tenant)
                .build();
    }

    /**
     * Publishes the answer, then applies it here ({@code apply}) and audits it; retried a few times while the broker
     * refuses it, unless an answer came meanwhile.
     */
    private void answer(CommandResult result, BooleanSupplier answered, Consumer<CommandResult> apply,
                        Function<CommandResult, AuditRecord> audit, int attempt) {
        publisher.publish(result).subscribe().with(
                published -> {
                    apply.accept(result);
                    metrics.watchdogAnswered(result.getCommandType(), CommandOutcome.of(result.getStatus()));
                    LOG.infof("room %s: watchdog answered %s %s with %s: %s", result.getRoom(), result.getCommandType(),
                            result.getCommandId(), result.getStatus(), result.getReason());
                    audit(result, audit.apply(result));
                },
                failure -> {
                    LOG.warnf("room %s: watchdog could not publish %s for %s (attempt %d): %s", result.getRoom(),
                            result.getStatus(), result.getCommandId(), attempt, failure.getMessage());
                    if (attempt < PUBLISH_ATTEMPTS) {
                        timers.schedule(NOT_READY_RETRY, () -> {
                            if (!answered.getAsBoolean()) {
                                answer(result, answered, apply, audit, attempt + 1);
                            }
                        });
                    }
                });
    }

    /** The answer's audit record; its id is derived from the command's, so an answer given twice is stored once. */
    private void audit(CommandResult result, AuditRecord record) {
        publisher.publish(record).subscribe().with(
                published -> {
                },
                failure -> LOG.warnf("room %s: the audit record of %s %s was not published: %s", result.getRoom(),
                        result.getStatus(), result.getCommandId(), failure.getMessage()));
    }

    /**
     * A transfer is answered by the call controller the worker hands it to, so its silence may be either's: which one
     * cannot be told from here, and the reason names both.
     */
    private static String expiredReason(SessionCommand command) {
        return command.getPayload() instanceof TransferCall
                ? "neither the worker nor the call controller carrying out the transfer answered before it expired at "
                + command.getExpiresAt()
                : "no worker answered before the command expired at " + command.getExpiresAt();
    }

    private static String noWorkerReason(String room, Optional<LiveSession> session) {
        String reason = "no worker runs room \"" + room + "\"";
        return session.map(ended -> reason + " (its last session " + ended.sessionId() + " ended at "
                + ended.sessionEnd().at() + ")").orElse(reason);
    }
}
