package dev.switchboard.worker.session;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Say;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.UpdateInstructions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies the commands sent to one session, each once: a command id seen before gets the decision made the first
 * time (so a redelivery is answered again, not applied again), unless it now carries another command, which is
 * refused with {@link CommandIdReusedException}; an expired command, or one that arrives once the
 * session is ending, is not applied. Which handler applies which type of command is decided in one place,
 * {@link #decide}.
 */
final class CommandApplier {
    private static final int REMEMBERED_COMMANDS = 10_000;

    private final CommandHandler<InjectContext> injectContext = new InjectContextHandler();
    private final CommandHandler<Say> say = new SayHandler();
    private final CommandHandler<Interrupt> interrupt = new InterruptHandler();
    private final CommandHandler<UpdateInstructions> updateInstructions = new UpdateInstructionsHandler();
    private final CommandHandler<EndSession> endSession = new EndSessionHandler();
    private final CommandHandler<TransferCall> transferCall = new TransferCallHandler();
    private final CommandHandler<SendDtmf> sendDtmf = new SendDtmfHandler();

    private final CommandTarget target;
    private final SessionClock time;
    private final Map<String, Remembered> decisions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Remembered> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };

    /** Commands another service answers (transfers: the call controller); one per transfer, so the set stays small. */
    private final Set<String> answeredElsewhere = ConcurrentHashMap.newKeySet();

    CommandApplier(CommandTarget target, SessionClock time) {
        this.target = target;
        this.time = time;
    }

    /**
     * The command's result: completes when it was decided (for a Say, once the words were said).
     *
     * @throws CommandIdReusedException when the command id was seen on another command
     */
    synchronized CompletableFuture<CommandResult> apply(SessionCommand command) {
        CommandContent content = CommandContent.of(command);
        Remembered known = decisions.get(command.getCommandId());
        if (known != null) {
            if (!known.content().equals(content)) {
                throw new CommandIdReusedException(command.getCommandId(), known.content().type());
            }
            return known.result();
        }
        CompletableFuture<CommandResult> result = decide(command).thenApply(decision -> {
            if (decision.answeredElsewhere()) {
                answeredElsewhere.add(command.getCommandId());
            }
            return result(command, decision);
        });
        decisions.put(command.getCommandId(), new Remembered(content, result));
        return result;
    }

    /** A command decided before: what it asked, to tell a repeat from a new command under the same id, and its result. */
    private record Remembered(CommandContent content, CompletableFuture<CommandResult> result) {
    }

    /** Whether another service publishes this command's result (the worker then publishes none). */
    boolean isAnsweredElsewhere(String commandId) {
        return answeredElsewhere.contains(commandId);
    }

    private CompletableFuture<Decision> decide(SessionCommand command) {
        if (time.now().isAfter(command.getExpiresAt())) {
            return Decision.expired("expired at " + command.getExpiresAt()).asFuture();
        }
        // A command that names a tenant must name the session's. One without a tenant comes from a publisher trusted by
        // the Kafka ACLs (an older client, a system of the operator): it is applied as before.
        String tenant = command.getTenant();
        if (tenant != null && !tenant.equals(target.identity().tenant())) {
            return Decision.rejected("the command is for tenant '" + tenant + "', but the session in room " + target.room()
                    + " belongs to another tenant").asFuture();
        }
        AgentSession.State state = target.state();
        if (state != AgentSession.State.ACTIVE) {
            return Decision.notActive(state).asFuture();
        }
        return switch (command.getPayload()) {
            case InjectContext payload -> injectContext.apply(command, payload, target);
            case Say payload -> say.apply(command, payload, target);
            case Interrupt payload -> interrupt.apply(command, payload, target);
            case UpdateInstructions payload -> updateInstructions.apply(command, payload, target);
            case EndSession payload -> endSession.apply(command, payload, target);
            case TransferCall payload -> transferCall.apply(command, payload, target);
            case SendDtmf payload -> sendDtmf.apply(command, payload, target);
            default -> Decision.rejected("unsupported command " + typeOf(command)).asFuture();
        };
    }

    private CommandResult result(SessionCommand command, Decision decision) {
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setRoom(target.room())
                .setCommandType(typeOf(command))
                .setStatus(decision.status())
                .setReason(decision.reason())
                .setDecidedAt(time.timestamp())
                .setSessionId(target.identity().sessionId())
                .setWorkerId(target.identity().workerId())
                .setTenant(target.identity().tenant())
                .build();
    }

    private static String typeOf(SessionCommand command) {
        return command.getPayload().getClass().getSimpleName();
    }
}
