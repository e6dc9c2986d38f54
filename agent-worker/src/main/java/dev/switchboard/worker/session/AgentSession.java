package dev.switchboard.worker.session;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.tools.Toolbox;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One agent in one call, from the start to the end: it is announced, takes the caller's turns, hangs up or is hung
 * up on, and ends once, reporting its usage. The work is done by its parts, which it wires together:
 * <ul>
 *   <li>{@link ChatContext}: the instructions and the conversation the model sees;</li>
 *   <li>{@link AgentActivity}: what the agent says, one thing at a time (turns of the LLM loop, Say, goodbyes);</li>
 *   <li>{@link TranscriptRecorder}: every line, published, and flushed before the end;</li>
 *   <li>{@link CommandApplier}: the commands sent to the session from outside, each applied once, acting on the session
 *   only through a {@link CommandTarget};</li>
 *   <li>{@link SessionTools}: what the model's tools may do to the call;</li>
 *   <li>{@link HangupRequests}: the hang-ups it asks of the call controller, and how their end is reported;</li>
 *   <li>{@link Transfers}: the transfers asked of the call controller, and what their answers do (a refusal is told
 *   to the model, through {@link ModelNotices});</li>
 *   <li>{@link AnswerScreening}: answering-machine detection on outbound calls, acting through an
 *   {@link AnswerScreening.Call};</li>
 *   <li>{@link Keypad} (through a {@link Keypad.Call}) and {@link CallLimits} (through {@link SessionUnderLimits}):
 *   keypad entries and tones, and time limits.</li>
 * </ul>
 *
 * <p>Threads: state changes happen under {@link #lock} and are short; speaking work runs one task at a time on the
 * activity's own thread. Commands are applied as they arrive, so an injected message joins the context at once and
 * the next LLM request sees it.
 */
public final class AgentSession {
    private static final Logger LOG = Logger.getLogger(AgentSession.class);

    public enum State { ACTIVE, ENDING, ENDED }

    /** What identifies a session and how it started; {@code tenant} is who the call belongs to (see {@link Tenants}). */
    public record Identity(String room, String sessionId, String workerId, String agentName, Instant startedAt, String tenant) {
        public Identity {
            tenant = Tenants.orDefault(tenant);
        }

        /** A session of the default tenant. */
        public Identity(String room, String sessionId, String workerId, String agentName, Instant startedAt) {
            this(room, sessionId, workerId, agentName, startedAt, Tenants.DEFAULT);
        }
    }

    private final Identity identity;
    private final CallTransport transport;
    private final SessionPublisher publisher;
    private final AgentSettings settings;
    private final ScheduledExecutorService timers;
    private final Consumer<AgentSession> onEnded;

    private final SessionClock time;
    private final ChatContext chat;
    private final TranscriptRecorder transcript;
    private final UsageMeter usage = new UsageMeter();
    private final AgentActivity activity;
    private final CommandApplier commands;
    private final Keypad keypad;
    private final Transfers transfers;
    private final AnswerScreening answerScreening;

    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.ACTIVE; // guarded by lock
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private volatile CallLimits limits;
    private final HangupRequests hangups;

    AgentSession(Identity identity, String instructions, CallTransport transport, LlmClient llm, Toolbox tools,
                 SessionPublisher publisher, AgentSettings settings, Clock clock, ScheduledExecutorService timers,
                 Consumer<AgentSession> onEnded) {
        this.identity = identity;
        this.transport = transport;
        this.publisher = publisher;
        this.settings = settings;
        this.timers = timers;
        this.onEnded = onEnded;
        this.time = new SessionClock(clock);
        this.chat = new ChatContext(instructions);
        this.transcript = new TranscriptRecorder(identity, transport.callerIdentity(), publisher, time);
        this.activity = new AgentActivity(identity.room(), transport, llm, tools, new SessionTools(this), chat, transcript,
                usage, time, settings.maxToolRounds(), this::state, timers);
        this.commands = new CommandApplier(new CommandTarget(this, time), time);
        Parts parts = new Parts();
        this.keypad = new Keypad(identity.room(), parts, timers, settings.keypad());
        this.transfers = new Transfers(identity, publisher, time, settings, parts);
        this.answerScreening = new AnswerScreening(identity.room(), parts, timers, settings.machineDetection());
        this.hangups = new HangupRequests(identity, transport, activity, publisher, settings, timers, this::end);
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

    /** The tenant the call belongs to: on its SessionStarted, every transcript line and command result. */
    public String tenant() {
        return identity.tenant();
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

    /** Completes when the session has ended and its SessionEnded was published (here, or by the service that ended it). */
    public CompletableFuture<Void> ended() {
        return ended;
    }

    /** A copy of the chat context as the next LLM request would see it (instructions first). */
    public List<ChatMessage> chatContext() {
        return chat.messages();
    }

    /** Milliseconds since the session started: the time base of transcript offsets. */
    public long elapsedMs() {
        return time.elapsedMs();
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
        heard();
        Optional<CompletableFuture<TurnResult>> screened = answerScreening.takesTurn(speech);
        if (screened.isPresent()) {
            return screened.get();
        }
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

    /** The agent opens the call: the model answers the conversation as it stands (its instructions), e.g. with a greeting. */
    public CompletableFuture<TurnResult> open() {
        requireActive();
        return activity.reply("opening");
    }

    /**
     * Records the caller's words without answering them: the call is ending, the caller hung up mid-sentence, or the
     * answer screen holds them until it knows who answered (then {@link AnswerScreening} has them answered).
     */
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

    private void heard() {
        CallLimits watching = limits;
        if (watching != null) {
            watching.callerHeard();
        }
    }

    /** An interim transcript of what the caller is saying, for live captions and the live transcript. */
    public void callerSpeaking(CallerSpeech interim) {
        heard();
        answerScreening.calleeSpeaking();
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

    /** The caller pressed a key on their phone (DTMF); keys are gathered into entries the agent answers (see {@link Keypad}). */
    public void callerPressed(String participantIdentity, String key) {
        if (state() == State.ACTIVE) {
            keypad.pressed(participantIdentity, key);
        }
    }

    /** Sends keypad tones to the caller's phone line on the calling thread; see {@link Keypad#send}. */
    void sendTones(String digits, Issuer by, String commandId) throws InterruptedException {
        keypad.send(digits, by, commandId);
    }

    /** The caller left the call. */
    public CompletableFuture<Void> callerHungUp() {
        return end(EndReason.CALLER_HANGUP, new Issuer(IssuerKind.CALLER, transport.callerIdentity(), null, null), null);
    }

    // ---------------------------------------------------------------- answering machines

    /** Screens the callee's first words on an outbound call (answering-machine detection), as the dial asked. */
    public void screenAnswer(MachineDetection mode, String voicemailMessage) {
        answerScreening.start(mode, voicemailMessage);
    }

    // ---------------------------------------------------------------- limits

    /** Starts watching the call's time limits (once; a session without limits runs until it is ended). */
    void watchLimits(CallLimits.Limits callLimits) {
        if (limits != null || !callLimits.anySet()) {
            return;
        }
        CallLimits watching = new CallLimits(new SessionUnderLimits(this), callLimits, System::nanoTime);
        limits = watching;
        watching.start(timers);
    }

    // ---------------------------------------------------------------- commands

    /**
     * Applies a command once. A command id seen before gets the decision made the first time (so a redelivery is
     * answered again, not applied again); an expired command is not applied.
     */
    public CompletableFuture<CommandResult> apply(SessionCommand command) {
        return commands.apply(command);
    }

    /** Whether another service answers this command (a transfer: the call controller), so the worker publishes no result. */
    public boolean isAnsweredElsewhere(String commandId) {
        return commands.isAnsweredElsewhere(commandId);
    }

    /** Whether a transfer this session asked for has not been answered yet. */
    public boolean awaitsTransfer() {
        return transfers.awaiting();
    }

    /** The call controller's answer to a transfer this session asked for (see {@link Transfers#answered}). */
    public void transferAnswered(CommandResult result) {
        transfers.answered(result);
    }

    // The parts the session's narrow views act on ({@link CommandTarget}, {@link SessionTools}, {@link SessionUnderLimits});
    // nothing outside this package sees them.

    ChatContext chat() {
        return chat;
    }

    TranscriptRecorder transcript() {
        return transcript;
    }

    AgentActivity activity() {
        return activity;
    }

    AgentSettings settings() {
        return settings;
    }

    Transfers transfers() {
        return transfers;
    }

    // ---------------------------------------------------------------- the parts' own views

    /**
     * The session as the keypad, the transfers and the answer screening see it: each part is given only its own
     * interface ({@link Keypad.Call}, {@link ModelNotices}, {@link AnswerScreening.Call}), which names what it may do.
     */
    private final class Parts implements Keypad.Call, AnswerScreening.Call {
        @Override
        public boolean tell(String line, Issuer by, String commandId, String label, ChatMessage toModel, boolean callerTurn) {
            lock.lock();
            try {
                if (state != State.ACTIVE) {
                    return false;
                }
                transcript.system(line, by, commandId, label);
                chat.add(toModel);
                if (callerTurn) {
                    usage.userTurn();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void answerNow(String task, String what) {
            activity.reply(task).exceptionally(error -> {
                if (TurnFailures.wasCutShort(error)) {
                    LOG.debugf("room %s: the answer to %s was cut short: %s", room(), what, AsyncFailures.cause(error).getMessage());
                } else {
                    LOG.warnf("room %s: the answer to %s failed: %s", room(), what, AsyncFailures.cause(error).getMessage());
                }
                return null;
            });
        }

        @Override
        public CompletableFuture<TurnResult> answerHeard(List<CallerSpeech> words) {
            lock.lock();
            try {
                requireActive();
                chat.add(new ChatMessage.User(words.stream().map(CallerSpeech::text).collect(Collectors.joining(" "))));
                usage.userTurn();
            } finally {
                lock.unlock();
            }
            return activity.reply("turn");
        }

        @Override
        public void callerFinished(CallerSpeech speech) {
            AgentSession.this.callerFinished(speech);
        }

        @Override
        public void callerHeard() {
            heard();
        }

        @Override
        public State state() {
            return AgentSession.this.state();
        }

        @Override
        public void systemLine(String line, Issuer by, String commandId, String label) {
            transcript.system(line, by, commandId, label);
        }

        @Override
        public void publishEvent(Object payload) {
            publisher.sessionEvent(event(payload));
        }

        @Override
        public void sendTone(char tone) throws InterruptedException {
            transport.sendTone(tone);
        }

        @Override
        public void listenForBeep() {
            transport.listenForBeep();
        }

        @Override
        public void stopListeningForBeep() {
            transport.stopListeningForBeep();
        }

        @Override
        public CompletableFuture<Void> beepEnded(Duration recently) {
            return transport.beepEnded(recently);
        }

        @Override
        public boolean beginEnding() {
            return AgentSession.this.beginEnding();
        }

        @Override
        public void hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException {
            AgentSession.this.hangUp(goodbye, reason, detail, issuer);
        }
    }

    // ---------------------------------------------------------------- hanging up

    /** The session stops taking turns and commands (it is hanging up). False when it was not active any more. */
    boolean beginEnding() {
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

    /**
     * Says the goodbye (when there is one) in full, then asks the call controller to hang up; the session ends when
     * the controller reports the call ended ({@link #callEnded}), or the call is seen to end the way the controller
     * ends calls (the caller removed, the room deleted), with this hang-up's reason either way; or after a while, with
     * that reason too, if neither ever happens (see {@link HangupRequests}).
     */
    void hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException {
        hangups.request(goodbye, reason, detail, issuer);
    }

    /** The call controller reports the call ended (it hung up, or LiveKit closed the room). */
    public CompletableFuture<Void> callEnded(EndReason reason, Issuer endedBy, String detail) {
        return end(reason, endedBy, detail);
    }

    // ---------------------------------------------------------------- the end

    /**
     * Ends the session once: stops speaking, waits for the last transcript lines to be acknowledged, publishes
     * SessionEnded, leaves the call. Further calls return the same future.
     */
    public CompletableFuture<Void> end(EndReason reason, Issuer endedBy, String detail) {
        return end(reason, endedBy, detail, true);
    }

    /**
     * Ends the session here when another service has already published its SessionEnded (the call controller, which
     * declared this worker lost): the same as {@link #end} but without a second SessionEnded, so consumers see one
     * end per session.
     */
    public CompletableFuture<Void> endAnnouncedElsewhere(EndReason reason, Issuer endedBy, String detail) {
        return end(reason, endedBy, detail, false);
    }

    private CompletableFuture<Void> end(EndReason reason, Issuer endedBy, String detail, boolean announce) {
        lock.lock();
        try {
            if (state == State.ENDED) {
                return ended;
            }
            state = State.ENDED;
        } finally {
            lock.unlock();
        }
        Optional<HangupRequests.Requested> asked = hangups.confirmedBy(reason);
        if (asked.isPresent()) {
            LOG.debugf("room %s: the call ended (%s) as the hang-up asked (%s)", room(), reason, asked.get().reason());
            HangupRequests.Requested hangup = asked.get();
            WorkerThreads.start("end-" + room(), () -> finish(hangup.reason(), hangup.issuer(), hangup.detail(), announce));
            return ended;
        }
        WorkerThreads.start("end-" + room(), () -> finish(reason, endedBy, detail, announce));
        return ended;
    }

    private void finish(EndReason reason, Issuer endedBy, String detail, boolean announce) {
        try {
            CallLimits watching = limits;
            if (watching != null) {
                watching.stop();
            }
            activity.close();
            keypad.close();
            transcript.flush(settings.flushTimeout());
            if (!announce) {
                LOG.infof("room %s: session %s ended here too (%s; its SessionEnded came from %s)", room(), sessionId(), reason, endedBy.getId());
                return;
            }
            SessionEnded summary = SessionEnded.newBuilder()
                    .setReason(reason)
                    .setEndedBy(endedBy)
                    .setDetail(detail)
                    .setDurationMs(elapsedMs())
                    .setUsage(usage())
                    .build();
            Acknowledgements.await(publisher.sessionEvent(event(summary)), settings.flushTimeout(), "SessionEnded");
            LOG.infof("room %s: session %s ended (%s)", room(), sessionId(), reason);
        } catch (Acknowledgements.NotAcknowledgedInTime e) {
            LOG.warnf("room %s: session %s ended (%s), but %s; Kafka's producer keeps trying to deliver it", room(), sessionId(),
                    reason, e.getMessage());
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

    private SessionEvent event(Object payload) {
        return SessionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRoom(room())
                .setSessionId(sessionId())
                .setOccurredAt(time.timestamp())
                .setSource("agent-worker")
                .setPayload(payload)
                .build();
    }

    private void requireActive() {
        if (state != State.ACTIVE) {
            throw new SessionNotActiveException(whyNotActive(state), state == State.ENDING);
        }
    }

    static String whyNotActive(State state) {
        return state == State.ENDING ? "the session is ending" : "the session has ended";
    }
}
