package dev.switchboard.worker.session;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.MachineDetection;

import java.time.Duration;
import java.util.Objects;

/**
 * Answering-machine detection on one outbound call: the first thing the callee says is classified once
 * ({@link MachineDetector}), and the dial's choice decides what the agent does when a machine answered: carry on,
 * hang up at once, or leave the voicemail message and hang up.
 */
final class AnswerScreen {
    /** A person answering stops within a few seconds; a recorded greeting goes on. */
    static final Duration MIN_MACHINE_GREETING = Duration.ofSeconds(5);
    static final int MIN_MACHINE_WORDS = 12;

    /** What the agent does after the verdict. */
    sealed interface Outcome {
        MachineDetector.Verdict verdict();

        /** Talk with whoever answered, as on any call. */
        record Converse(MachineDetector.Verdict verdict) implements Outcome {
        }

        /** A machine answered and the dial asked to hang up on machines. */
        record HangUp(MachineDetector.Verdict verdict) implements Outcome {
        }

        /** A machine answered: say the message after its greeting, then hang up. */
        record LeaveMessage(MachineDetector.Verdict verdict, String message) implements Outcome {
        }
    }

    private final MachineDetector detector = new MachineDetector(MIN_MACHINE_GREETING, MIN_MACHINE_WORDS);
    private final MachineDetection mode;
    private final String voicemailMessage;
    private boolean decided; // guarded by this

    AnswerScreen(MachineDetection mode, String voicemailMessage) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.voicemailMessage = voicemailMessage;
    }

    /** The outcome for the callee's first words; empty for every later utterance (the screen decides once). */
    synchronized java.util.Optional<Outcome> screen(CallerSpeech firstWords) {
        if (decided) {
            return java.util.Optional.empty();
        }
        MachineDetector.Verdict verdict = detector.classify(firstWords.text(), Math.max(0, firstWords.endMs() - firstWords.startMs()));
        if (verdict.answeredBy() == AnsweredBy.UNKNOWN) {
            return java.util.Optional.empty(); // nothing recognizable yet: the next words decide
        }
        decided = true;
        if (verdict.answeredBy() != AnsweredBy.MACHINE) {
            return java.util.Optional.of(new Outcome.Converse(verdict));
        }
        return java.util.Optional.of(switch (mode) {
            case HANGUP -> new Outcome.HangUp(verdict);
            case LEAVE_MESSAGE -> voicemailMessage == null || voicemailMessage.isBlank() ? new Outcome.HangUp(verdict)
                    : new Outcome.LeaveMessage(verdict, voicemailMessage);
            case CONTINUE, UNKNOWN -> new Outcome.Converse(verdict);
        });
    }
}
