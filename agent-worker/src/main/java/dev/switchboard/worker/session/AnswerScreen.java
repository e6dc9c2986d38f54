package dev.switchboard.worker.session;

import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.MachineDetection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Answering-machine detection on one outbound call: what the callee says first is classified ({@link MachineDetector}),
 * and the dial's choice decides what the agent does when a machine answered: carry on, hang up at once, or leave the
 * voicemail message and hang up.
 *
 * <p>A short first answer ("Hello?", "Hi, this is Sam.") is only provisional: a person who said it stops and waits
 * for the caller, while a recorded greeting goes on after a breath ("... Please leave a message after the tone."). So
 * words that sound like a person are held until the callee has stayed quiet for a pause (the session's timer calls
 * {@link #confirm()}); words that follow within it are screened together with them. Once decided, later words are
 * never screened: a person who says "leave a message with my neighbour" later in the call is still a person.
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

    /** What becomes of the words just heard. */
    sealed interface Step {
        /** Not screened (decided already, or nothing recognizable yet): the session answers them as usual. */
        record Pass() implements Step {
        }

        /** They sound like a person so far: held, with any before them, until the callee pauses or goes on. */
        record Hold() implements Step {
        }

        /** Decided: the outcome, and every word screened for it (held ones first), none of them answered yet. */
        record Decided(Outcome outcome, List<CallerSpeech> words) implements Step {
        }
    }

    private final MachineDetector detector = new MachineDetector(MIN_MACHINE_GREETING, MIN_MACHINE_WORDS);
    private final MachineDetection mode;
    private final String voicemailMessage;
    private final List<CallerSpeech> held = new ArrayList<>(); // guarded by this
    private boolean decided; // guarded by this

    AnswerScreen(MachineDetection mode, String voicemailMessage) {
        this.mode = Objects.requireNonNull(mode, "mode");
        this.voicemailMessage = voicemailMessage;
    }

    /** Screens the callee's words, together with those held before them. */
    synchronized Step screen(CallerSpeech words) {
        if (decided) {
            return new Step.Pass();
        }
        List<CallerSpeech> heard = new ArrayList<>(held);
        heard.add(words);
        MachineDetector.Verdict verdict = classify(heard);
        return switch (verdict.answeredBy()) {
            case MACHINE -> decide(verdict, heard);
            case HUMAN -> {
                held.add(words);
                yield new Step.Hold();
            }
            // Nothing recognizable (and nothing held, or the held words would be): answered as usual, and the screen
            // waits for words it can judge.
            default -> new Step.Pass();
        };
    }

    /** The callee paused after words that sound like a person: a person answered. Empty if nothing is held. */
    synchronized Optional<Step.Decided> confirm() {
        if (decided || held.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decide(classify(held), List.copyOf(held)));
    }

    /** Whether words are held, waiting for the callee to pause or go on. */
    synchronized boolean holding() {
        return !decided && !held.isEmpty();
    }

    private MachineDetector.Verdict classify(List<CallerSpeech> heard) {
        String text = heard.stream().map(CallerSpeech::text).collect(Collectors.joining(" "));
        long spokenMs = Math.max(0, heard.getLast().endMs() - heard.getFirst().startMs());
        return detector.classify(text, spokenMs);
    }

    private Step.Decided decide(MachineDetector.Verdict verdict, List<CallerSpeech> words) {
        decided = true;
        held.clear();
        Outcome outcome = verdict.answeredBy() != AnsweredBy.MACHINE ? new Outcome.Converse(verdict) : switch (mode) {
            case HANGUP -> new Outcome.HangUp(verdict);
            case LEAVE_MESSAGE -> voicemailMessage == null || voicemailMessage.isBlank() ? new Outcome.HangUp(verdict)
                    : new Outcome.LeaveMessage(verdict, voicemailMessage);
            case CONTINUE, UNKNOWN -> new Outcome.Converse(verdict);
        };
        return new Step.Decided(outcome, List.copyOf(words));
    }
}
