package dev.switchboard.worker.session;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.worker.concurrent.WorkerThreads;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What a session does with the verdict of its {@link AnswerScreen} on an outbound call: the verdict is announced (an
 * AnswerClassified event, the call's answeredBy, and a transcript line), and when a machine answered and the dial does
 * not want a conversation with it, the agent leaves the message or hangs up instead of answering.
 */
final class AnswerScreening {
    /** Who decides an answering machine was reached. */
    private static final Issuer DETECTOR = new Issuer(IssuerKind.SYSTEM, "machine-detection", null, null);

    private final AgentSession session;
    private volatile AnswerScreen screen;

    AnswerScreening(AgentSession session) {
        this.session = session;
    }

    /** Screens the callee's first words from now on, as the dial asked; no mode (or UNKNOWN): no screening. */
    void start(MachineDetection mode, String voicemailMessage) {
        if (mode != null && mode != MachineDetection.UNKNOWN) {
            screen = new AnswerScreen(mode, voicemailMessage);
        }
    }

    /**
     * The callee's words, screened: present when a machine answered and the screening took the turn (the agent leaves
     * the message or hangs up); empty when the conversation goes on as usual.
     */
    Optional<CompletableFuture<TurnResult>> takesTurn(CallerSpeech speech) {
        AnswerScreen current = screen;
        if (current == null) {
            return Optional.empty();
        }
        Optional<AnswerScreen.Outcome> outcome = current.screen(speech);
        if (outcome.isEmpty()) {
            return Optional.empty();
        }
        if (outcome.get() instanceof AnswerScreen.Outcome.Converse) {
            announce(outcome.get());
            return Optional.empty();
        }
        return Optional.of(answeredByMachine(speech, outcome.get()));
    }

    private void announce(AnswerScreen.Outcome outcome) {
        MachineDetector.Verdict verdict = outcome.verdict();
        session.publishEvent(AnswerClassified.newBuilder().setAnsweredBy(verdict.answeredBy()).setDetail(verdict.detail()).build());
        String who = verdict.answeredBy() == AnsweredBy.MACHINE ? "an answering machine" : "a person";
        session.transcript().system("answered by " + who + " (" + verdict.detail() + ")", DETECTOR, null, "machine-detection");
    }

    /** The greeting is recorded, then the agent leaves the message (if any) and hangs up, on a thread of its own. */
    private CompletableFuture<TurnResult> answeredByMachine(CallerSpeech greeting, AnswerScreen.Outcome outcome) {
        session.callerFinished(greeting);
        announce(outcome);
        if (!session.beginEnding()) {
            return CompletableFuture.completedFuture(new TurnResult(List.of(), session.state()));
        }
        CompletableFuture<TurnResult> done = new CompletableFuture<>();
        WorkerThreads.start("machine-" + session.room(), () -> {
            try {
                List<String> said = List.of();
                if (outcome instanceof AnswerScreen.Outcome.LeaveMessage leave) {
                    session.hangUp(leave.message(), EndReason.VOICEMAIL, "left a message: " + leave.verdict().detail(), DETECTOR);
                    said = List.of(leave.message());
                } else {
                    session.hangUp(null, EndReason.ANSWERING_MACHINE, outcome.verdict().detail(), DETECTOR);
                }
                done.complete(new TurnResult(said, session.state()));
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
