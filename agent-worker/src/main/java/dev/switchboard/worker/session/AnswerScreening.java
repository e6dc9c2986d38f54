package dev.switchboard.worker.session;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.worker.concurrent.WorkerThreads;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a session does with its {@link AnswerScreen} on an outbound call. The callee's words are recorded as they are
 * heard; words that sound like a person are answered only once the callee has paused for {@code greetingPause}
 * (a recorded greeting would have gone on), so the model never answers half a voicemail greeting. The verdict is
 * announced (an AnswerClassified event, the call's answeredBy, and a transcript line), and when a machine answered and
 * the dial does not want a conversation with it, the agent leaves the message or hangs up instead of answering.
 */
final class AnswerScreening {
    /** Who decides an answering machine was reached. */
    private static final Issuer DETECTOR = new Issuer(IssuerKind.SYSTEM, "machine-detection", null, null);
    /** A beep that ended this recently, before the verdict, was the machine's signal to speak. */
    private static final Duration RECENT_BEEP = Duration.ofMillis(1500);

    /**
     * What answer screening may do to its call: listen for the machine's beep, record the callee's words and answer
     * them, announce the verdict, hang up.
     */
    interface Call {
        AgentSession.State state();

        // The voicemail beep, as the call's transport hears it (see CallTransport).
        void listenForBeep();

        void stopListeningForBeep();

        CompletableFuture<Void> beepEnded(Duration recently);

        /** Records the callee's words without answering them (unless the session has ended). */
        void callerFinished(CallerSpeech speech);

        /** The agent answers words already recorded, as one turn of the caller's; throws when the session is not active. */
        CompletableFuture<TurnResult> answerHeard(List<CallerSpeech> words);

        /** A SYSTEM line in the transcript, whatever the session's state. */
        void systemLine(String line, Issuer by, String commandId, String label);

        /** Publishes a session event of this session (not waiting for Kafka). */
        void publishEvent(Object payload);

        /** The session stops taking turns and commands (it is hanging up); false when it was not active any more. */
        boolean beginEnding();

        /** Says the goodbye in full, then asks the call controller to hang up (after {@link #beginEnding}). */
        void hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) throws InterruptedException;
    }

    private final String room;
    private final Call call;
    private final ScheduledExecutorService timers;
    private final Duration greetingPause;
    private final Duration beepWait;
    private volatile AnswerScreen screen;
    /** The turn of the last words held, answered once the verdict is in. Guarded by this, as is {@link #pauseEnds}. */
    private CompletableFuture<TurnResult> heldTurn;
    private ScheduledFuture<?> pauseEnds;

    AnswerScreening(String room, Call call, ScheduledExecutorService timers, AgentSettings.MachineDetectionSettings settings) {
        this.room = room;
        this.call = call;
        this.timers = timers;
        this.greetingPause = settings.greetingPause();
        this.beepWait = settings.beepWait();
    }

    /** Screens the callee's first words from now on, as the dial asked; no mode (or UNKNOWN): no screening. */
    void start(MachineDetection mode, String voicemailMessage) {
        if (mode != null && mode != MachineDetection.UNKNOWN) {
            screen = new AnswerScreen(mode, voicemailMessage);
            if (mode == MachineDetection.LEAVE_MESSAGE) {
                call.listenForBeep(); // from the first words: the beep may come right after the greeting
            }
        }
    }

    /**
     * The callee's words, screened: present when the screening took the turn (the words are held for the verdict, or
     * answered with the words held before them, or a machine answered); empty when the session answers them as usual.
     */
    Optional<CompletableFuture<TurnResult>> takesTurn(CallerSpeech speech) {
        AnswerScreen current = screen;
        if (current == null) {
            return Optional.empty();
        }
        return switch (current.screen(speech)) {
            case AnswerScreen.Step.Pass pass -> Optional.empty();
            case AnswerScreen.Step.Hold hold -> {
                call.callerFinished(speech); // in the transcript as it is heard; answered once the verdict is in
                yield Optional.of(hold());
            }
            case AnswerScreen.Step.Decided decided -> {
                call.callerFinished(speech);
                CompletableFuture<TurnResult> earlier = releaseHeldTurn();
                if (earlier != null) {
                    earlier.complete(new TurnResult(List.of(), call.state())); // these words' answer is this turn's
                }
                yield Optional.of(act(decided));
            }
        };
    }

    /** The callee is speaking again (an interim transcript): the pause that would confirm a person starts over. */
    void calleeSpeaking() {
        AnswerScreen current = screen;
        if (current == null || !current.holding()) {
            return;
        }
        synchronized (this) {
            if (pauseEnds != null && pauseEnds.cancel(false)) {
                pauseEnds = timers.schedule(this::pauseEnded, greetingPause.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /** Holds the words' turn until the callee pauses; the turn of words held before them ends without an answer of its own. */
    private synchronized CompletableFuture<TurnResult> hold() {
        CompletableFuture<TurnResult> earlier = heldTurn;
        if (pauseEnds != null) {
            pauseEnds.cancel(false);
        }
        heldTurn = new CompletableFuture<>();
        pauseEnds = timers.schedule(this::pauseEnded, greetingPause.toMillis(), TimeUnit.MILLISECONDS);
        if (earlier != null) {
            earlier.complete(new TurnResult(List.of(), call.state()));
        }
        return heldTurn;
    }

    private synchronized CompletableFuture<TurnResult> releaseHeldTurn() {
        CompletableFuture<TurnResult> held = heldTurn;
        heldTurn = null;
        if (pauseEnds != null) {
            pauseEnds.cancel(false);
            pauseEnds = null;
        }
        return held;
    }

    /** The callee stayed quiet after words that sound like a person: a person answered, and is answered. */
    private void pauseEnded() {
        CompletableFuture<TurnResult> held = releaseHeldTurn();
        if (held == null) {
            return; // decided meanwhile, with the words that followed
        }
        Optional<AnswerScreen.Step.Decided> decided = screen.confirm();
        if (decided.isEmpty()) {
            held.complete(new TurnResult(List.of(), call.state()));
            return;
        }
        act(decided.get()).whenComplete((turn, failure) -> {
            if (failure != null) {
                held.completeExceptionally(failure);
            } else {
                held.complete(turn);
            }
        });
    }

    /** The verdict is announced and carried out: the conversation goes on with the words heard, or the machine is dealt with. */
    private CompletableFuture<TurnResult> act(AnswerScreen.Step.Decided decided) {
        announce(decided.outcome().verdict());
        if (decided.outcome() instanceof AnswerScreen.Outcome.Converse) {
            call.stopListeningForBeep(); // no message will be left
            try {
                return call.answerHeard(decided.words());
            } catch (SessionNotActiveException e) {
                return CompletableFuture.completedFuture(new TurnResult(List.of(), call.state())); // recorded, not answered
            }
        }
        return answeredByMachine(decided.outcome());
    }

    /**
     * Waits for the machine to record: until its beep has ended (at once if it ended just now, before the verdict), or
     * {@code beepWait} at most, since some voicemail systems do not beep. Says which it was.
     */
    private String afterTheBeep() throws InterruptedException {
        try {
            call.beepEnded(RECENT_BEEP).get(beepWait.toMillis(), TimeUnit.MILLISECONDS);
            return "after the beep";
        } catch (TimeoutException e) {
            return "after waiting " + beepWait.toMillis() + " ms for a beep that did not come";
        } catch (ExecutionException e) {
            return "without waiting for the beep (" + e.getCause().getMessage() + ")";
        }
    }

    private void announce(MachineDetector.Verdict verdict) {
        call.publishEvent(AnswerClassified.newBuilder().setAnsweredBy(verdict.answeredBy()).setDetail(verdict.detail()).build());
        String who = verdict.answeredBy() == AnsweredBy.MACHINE ? "an answering machine" : "a person";
        call.systemLine("answered by " + who + " (" + verdict.detail() + ")", DETECTOR, null, "machine-detection");
    }

    /** The agent leaves the message (if any) and hangs up, on a thread of its own. */
    private CompletableFuture<TurnResult> answeredByMachine(AnswerScreen.Outcome outcome) {
        if (!call.beginEnding()) {
            return CompletableFuture.completedFuture(new TurnResult(List.of(), call.state()));
        }
        CompletableFuture<TurnResult> done = new CompletableFuture<>();
        WorkerThreads.start("machine-" + room, () -> {
            try {
                List<String> said = List.of();
                if (outcome instanceof AnswerScreen.Outcome.LeaveMessage leave) {
                    String when = afterTheBeep();
                    call.hangUp(leave.message(), EndReason.VOICEMAIL, "left a message " + when + ": " + leave.verdict().detail(), DETECTOR);
                    said = List.of(leave.message());
                } else {
                    call.hangUp(null, EndReason.ANSWERING_MACHINE, outcome.verdict().detail(), DETECTOR);
                }
                done.complete(new TurnResult(said, call.state()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done.completeExceptionally(e);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }
}
