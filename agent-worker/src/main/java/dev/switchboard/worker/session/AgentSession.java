package dev.switchboard.worker.session;

import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Say;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.UpdateInstructions;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.tools.ToolContext;
import dev.switchboard.worker.tools.Toolbox;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One agent in one call: its instructions, the chat context, the LLM loop with its tools, the commands applied
 * to it, and everything it reports (session events, transcript lines, command results, the hang-up request).
 *
 * <p>Threads: state changes happen under {@link #lock} and are short; speaking work (turns, Say, the goodbye)
 * runs one task at a time on the session's {@link SerialTaskRunner}. Commands are applied as they arrive, so an
 * injected message joins the context at once and the next LLM request sees it.
 */
public final class AgentSession {
    private static final Logger LOG = Logger.getLogger(AgentSession.class);
    private static final int REMEMBERED_COMMANDS = 10_000;

    public enum State { ACTIVE, ENDING, ENDED }

    /** What identifies a session and how it started. */
    public record Identity(String room, String sessionId, String workerId, String agentName, Instant startedAt) {
    }

    private final Identity identity;
    private final CallTransport transport;
    private final SessionPublisher publisher;
    private final AgentSettings settings;
    private final ScheduledExecutorService timers;
    private final Consumer<AgentSession> onEnded;

    private final ReentrantLock lock = new ReentrantLock();
    private final SessionClock time;
    private final ChatContext chat;
    private final TranscriptRecorder transcript;
    private final UsageMeter usage = new UsageMeter();
    private final AgentActivity activity;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();

    // Guarded by lock.
    private final Map<String, CompletableFuture<CommandResult>> decisions = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<CommandResult>> eldest) {
            return size() > REMEMBERED_COMMANDS;
        }
    };
    private State state = State.ACTIVE;

    AgentSession(Identity identity, String instructions, CallTransport transport, LlmClient llm, Toolbox tools,
                 SessionPublisher publisher, AgentSettings settings, Clock clock, ScheduledExecutorService timers,
                 Consumer<AgentSession> onEnded) {
        this.identity = identity;
        this.chat = new ChatContext(instructions);
        this.transport = transport;
        this.publisher = publisher;
        this.settings = settings;
        this.time = new SessionClock(clock);
        this.transcript = new TranscriptRecorder(identity.room(), identity.sessionId(), transport.callerIdentity(), agentIdentity(),
                publisher, time);
        this.activity = new AgentActivity(identity.room(), transport, llm, tools, new SessionToolContext(), chat, transcript, usage,
                time, settings.maxToolRounds(), this::state);
        this.timers = timers;
        this.onEnded = onEnded;
    }

    public String room() {
        return identity.room();
    }

    public String sessionId() {
        return identity.sessionId();
    }

    public Identity identity() {
        return identity;
    }

    public CallTransport transport() {
        return transport;
    }

    public State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** What the session has consumed so far (LLM tokens, speech seconds, characters spoken, turns). */
    public dev.switchboard.events.Usage usage() {
        return usage.snapshot(transport.sttAudioSeconds());
    }

    /** Completes when the session has ended and SessionEnded was published. */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** A copy of the chat context as the next LLM request would see it (instructions first). */
    public List<ChatMessage> chatContext() {
        return chat.messages();
    }

    // ---------------------------------------------------------------- start

    /** Announces the session (SessionStarted); completes when Kafka acknowledged it. */
    CompletionStage<Void> announce(SessionStarted started) {
        return publisher.sessionEvent(event(started));
    }

    // ---------------------------------------------------------------- the caller

    /** The caller said something (text transports): it is recorded and the agent answers in a turn. */
    public CompletableFuture<TurnResult> callerSaid(String text) {
        long now = elapsedMs();
        return callerSaid(new CallerSpeech(UUID.randomUUID().toString(), text, now, now + SpeechTiming.estimateMillis(text), null, null));
    }

    /** The caller finished a turn: the final transcript is recorded (superseding its interim versions) and the agent answers. */
    public CompletableFuture<TurnResult> callerSaid(CallerSpeech speech) {
        lock.lock();
        try {
            requireActive();
            transcript.caller(speech, true);
            chat.add(new ChatMessage.User(speech.text()));
            usage.userTurn();
        } finally {
            lock.unlock();
        }
        return activity.reply("turn");
    }

    /** Records the caller's last words without answering them: the call is ending, or the caller hung up mid-sentence. */
    public void callerFinished(CallerSpeech speech) {
        lock.lock();
        try {
            if (state != State.ENDED) {
                transcript.caller(speech, true);
            }
        } finally {
            lock.unlock();
        }
    }

    /** An interim transcript of what the caller is saying, for live captions and the live transcript. */
    public void callerSpeaking(CallerSpeech interim) {
        lock.lock();
        try {
            if (state == State.ACTIVE) {
                transcript.caller(interim, false);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * The caller started talking over the agent: what is being said stops now (if it may be interrupted) and the
     * agent's line records only the words that were played. Returns whether something was interrupted.
     */
    public boolean bargeIn() {
        return activity.bargeIn();
    }

    /** Milliseconds since the session started: the time base of transcript offsets. */
    public long elapsedMs() {
        return time.elapsedMs();
    }

    /** The caller left the call. */
    public CompletableFuture<Void> callerHungUp() {
        return end(EndReason.CALLER_HANGUP, new Issuer(IssuerKind.CALLER, transport.callerIdentity(), null), null);
    }

    // ---------------------------------------------------------------- hanging up

    /** What the model's tools may do to this call: a narrow view of the session. */
    private final class SessionToolContext implements ToolContext {
        @Override
        public String room() {
            return identity.room();
        }

        /** The model hangs up ({@code end_call}): it is the issuer, and the reason is the agent's. */
        @Override
        public boolean endCall(String reason, String goodbye) throws InterruptedException {
            if (!beginEnding()) {
                return false;
            }
            hangUp(goodbye, EndReason.AGENT_HANGUP, reason, new Issuer(IssuerKind.LLM, identity.workerId(), null));
            return true;
        }
    }

    private boolean beginEnding() {
        lock.lock();
        try {
            if (state != State.ACTIVE) {
                return false;
            }
            state = State.ENDING;
            return true;
        } finally {
            lock.unlock();
        }
    }

    private void hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException {
        if (goodbye != null && !goodbye.isBlank()) {
            activity.say(goodbye, false, true);
        }
        CallControlRequest request = new Commands(issuer).callControl(Commands.newCommandId(), room(), HangupRequested.newBuilder()
                .setReason(reason)
                .setDetail(detail)
                .setScope(HangupScope.POLICY_DEFAULT)
                .setTransport(transport.kind())
                .setSessionId(sessionId())
                .build(), settings.hangupConfirmationTimeout().plusSeconds(30));
        await(publisher.callControl(request), settings.flushTimeout(), "the hang-up request");
        LOG.infof("room %s: hang-up requested (%s, command %s)", room(), reason, request.getCommandId());
        // If the controller never confirms (it is down, LiveKit is unreachable), do not keep the session forever.
        timers.schedule(() -> end(reason, issuer, "hang-up not confirmed by the call controller"),
                settings.hangupConfirmationTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The call controller reports the call ended (it hung up, or LiveKit closed the room). */
    public CompletableFuture<Void> callEnded(EndReason reason, Issuer endedBy, String detail) {
        return end(reason, endedBy, detail);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Applies a command once. A command id seen before gets the decision made the first time (so a redelivery is
     * answered again, not applied again); an expired command is not applied.
     */
    public CompletableFuture<CommandResult> apply(SessionCommand command) {
        lock.lock();
        try {
            CompletableFuture<CommandResult> known = decisions.get(command.getCommandId());
            if (known != null) {
                return known;
            }
            CompletableFuture<CommandResult> decision = decide(command);
            decisions.put(command.getCommandId(), decision);
            return decision;
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<CommandResult> decide(SessionCommand command) {
        if (time.now().isAfter(command.getExpiresAt())) {
            return done(command, CommandStatus.EXPIRED, "expired at " + command.getExpiresAt());
        }
        if (state != State.ACTIVE) {
            return done(command, CommandStatus.REJECTED, state == State.ENDING ? "the session is ending" : "the session has ended");
        }
        return switch (command.getPayload()) {
            case InjectContext inject -> injectContext(command, inject);
            case Say say -> say(command, say);
            case Interrupt ignored -> {
                boolean interrupted = activity.interrupt();
                yield done(command, CommandStatus.APPLIED, interrupted ? null : "nothing was being said");
            }
            case UpdateInstructions update -> updateInstructions(command, update);
            case EndSession endSession -> endSession(command, endSession);
            default -> done(command, CommandStatus.REJECTED, "unsupported command " + command.getPayload().getClass().getSimpleName());
        };
    }

    private CompletableFuture<CommandResult> injectContext(SessionCommand command, InjectContext inject) {
        Optional<String> problem = checkText(inject.getText());
        if (problem.isPresent()) {
            return done(command, CommandStatus.REJECTED, problem.get());
        }
        ChatMessage message = switch (inject.getRole()) {
            case SYSTEM -> new ChatMessage.System(inject.getText());
            case USER -> new ChatMessage.User(inject.getText());
            default -> null;
        };
        if (message == null) {
            return done(command, CommandStatus.REJECTED, "unsupported role " + inject.getRole() + "; use SYSTEM or USER");
        }
        chat.add(message);
        transcript.injected(inject.getText(), command.getIssuer(), command.getCommandId(), labelOf(inject));
        if (inject.getRespond()) {
            activity.reply("respond").exceptionally(e -> {
                LOG.warnf("room %s: the reply to injected context failed: %s", room(), e.getMessage());
                return null;
            });
        }
        return done(command, CommandStatus.APPLIED, null);
    }

    private static String labelOf(InjectContext inject) {
        return inject.getLabel() != null ? inject.getLabel() : inject.getRole() == ContextRole.USER ? "user" : "system";
    }

    private CompletableFuture<CommandResult> say(SessionCommand command, Say say) {
        Optional<String> problem = checkText(say.getText());
        if (problem.isPresent()) {
            return done(command, CommandStatus.REJECTED, problem.get());
        }
        // Applied once said: the result tells the sender the words reached the caller.
        return activity.enqueue("say", say.getAllowInterruptions(), () -> {
            activity.say(say.getText(), say.getAllowInterruptions(), say.getAddToChatContext());
            return result(command, CommandStatus.APPLIED, null);
        }).exceptionally(e -> result(command, CommandStatus.REJECTED, "not said: " + rootMessage(e)));
    }

    private CompletableFuture<CommandResult> updateInstructions(SessionCommand command, UpdateInstructions update) {
        if (update.getInstructions().isBlank()) {
            return done(command, CommandStatus.REJECTED, "instructions must not be empty");
        }
        if (update.getMode() == InstructionsMode.APPEND) {
            chat.extendInstructions(update.getInstructions());
        } else {
            chat.replaceInstructions(update.getInstructions());
        }
        transcript.system("Instructions " + (update.getMode() == InstructionsMode.APPEND ? "extended: " : "replaced: ")
                + update.getInstructions(), command.getIssuer(), command.getCommandId(), "instructions");
        return done(command, CommandStatus.APPLIED, null);
    }

    private CompletableFuture<CommandResult> endSession(SessionCommand command, EndSession endSession) {
        state = State.ENDING;
        Issuer issuer = command.getIssuer();
        // Queued behind what is being said, uninterruptible: the goodbye is heard in full before the hang-up.
        return activity.enqueue("end-session", false, () -> {
            hangUp(endSession.getGoodbye(), hangupReasonFor(issuer.getKind()), endSession.getReason(), issuer);
            return result(command, CommandStatus.APPLIED, null);
        }).exceptionally(e -> result(command, CommandStatus.REJECTED, "hang-up failed: " + rootMessage(e)));
    }

    static EndReason hangupReasonFor(IssuerKind kind) {
        return switch (kind) {
            case OPERATOR -> EndReason.OPERATOR_HANGUP;
            case LLM, AGENT -> EndReason.AGENT_HANGUP;
            case CALLER -> EndReason.CALLER_HANGUP;
            case POLICY -> EndReason.MAX_DURATION;
            default -> EndReason.SYSTEM_HANGUP;
        };
    }

    private Optional<String> checkText(String text) {
        if (text == null || text.isBlank()) {
            return Optional.of("text must not be empty");
        }
        if (text.length() > settings.maxTextLength()) {
            return Optional.of("text is " + text.length() + " characters; the limit is " + settings.maxTextLength());
        }
        return Optional.empty();
    }

    private CompletableFuture<CommandResult> done(SessionCommand command, CommandStatus status, String reason) {
        return CompletableFuture.completedFuture(result(command, status, reason));
    }

    private CommandResult result(SessionCommand command, CommandStatus status, String reason) {
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setRoom(room())
                .setCommandType(command.getPayload().getClass().getSimpleName())
                .setStatus(status)
                .setReason(reason)
                .setDecidedAt(now())
                .setSessionId(sessionId())
                .setWorkerId(identity.workerId())
                .build();
    }

    // ---------------------------------------------------------------- the end

    /**
     * Ends the session once: stops speaking, waits for the last transcript lines to be acknowledged, publishes
     * SessionEnded, leaves the call. Further calls return the same future.
     */
    public CompletableFuture<Void> end(EndReason reason, Issuer endedBy, String detail) {
        lock.lock();
        try {
            if (state == State.ENDED) {
                return ended;
            }
            state = State.ENDED;
        } finally {
            lock.unlock();
        }
        WorkerThreads.start("end-" + room(), () -> finish(reason, endedBy, detail));
        return ended;
    }

    private void finish(EndReason reason, Issuer endedBy, String detail) {
        try {
            activity.close();
            transcript.flush(settings.flushTimeout());
            SessionEnded summary = SessionEnded.newBuilder()
                    .setReason(reason)
                    .setEndedBy(endedBy)
                    .setDetail(detail)
                    .setDurationMs(elapsedMs())
                    .setUsage(usage())
                    .build();
            await(publisher.sessionEvent(event(summary)), settings.flushTimeout(), "SessionEnded");
            LOG.infof("room %s: session %s ended (%s)", room(), sessionId(), reason);
        } catch (RuntimeException e) {
            LOG.errorf(e, "room %s: session %s did not end cleanly", room(), sessionId());
        } finally {
            try {
                transport.leave();
            } finally {
                onEnded.accept(this);
                ended.complete(null);
            }
        }
    }

    // ---------------------------------------------------------------- records

    private SessionEvent event(Object payload) {
        return SessionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRoom(room())
                .setSessionId(sessionId())
                .setOccurredAt(now())
                .setSource("agent-worker")
                .setPayload(payload)
                .build();
    }

    String agentIdentity() {
        return "agent-" + identity.workerId();
    }

    private Instant now() {
        return time.timestamp();
    }

    private void requireActive() {
        if (state != State.ACTIVE) {
            throw new SessionNotActiveException(state == State.ENDING ? "the session is ending" : "the session has ended");
        }
    }

    private void await(CompletionStage<Void> ack, Duration timeout, String what) {
        try {
            ack.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing " + what, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(what + " was not published: " + e.getMessage(), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
