package dev.switchboard.worker.session;

import dev.switchboard.events.AnsweredBy;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Answering-machine detection: decides from the first thing heard on an outbound call whether a person or a
 * machine (voicemail greeting, carrier message, IVR menu) answered. People answer briefly ("Hello?", "Acme, this
 * is Sam"); machines play a recorded message. So, in order:
 * <ol>
 *   <li>nothing said: UNKNOWN;</li>
 *   <li>a phrase only recordings use ("leave a message", "voicemail", "not available", "after the tone", "the
 *       number you have dialed", "press 1"...): MACHINE;</li>
 *   <li>an uninterrupted utterance of at least {@code minGreeting} or {@code minWords} words: MACHINE (a person
 *       answering stops and waits for the caller long before that);</li>
 *   <li>anything else: HUMAN.</li>
 * </ol>
 * It is a heuristic on text and timing, cheap and explainable: every verdict says what decided it.
 */
public final class MachineDetector {

    /** Who answered, and what decided it. */
    public record Verdict(AnsweredBy answeredBy, String detail) {
    }

    /** Phrases of recorded greetings, carrier messages and IVR menus (lower case, without punctuation). */
    private static final List<String> MACHINE_PHRASES = List.of(
            "leave a message", "leave your message", "leave me a message", "leave your name", "record your message",
            "voicemail", "voice mail", "mailbox", "not available", "unavailable", "cant take your call", "cannot take your call",
            "can not take your call", "cant come to the phone", "unable to take your call", "unable to answer",
            "after the tone", "after the beep", "at the tone", "you have reached", "youve reached",
            "the number you have dialed", "the number you dialed", "is not in service", "no longer in service",
            "please hold", "your call is important", "this call may be recorded", "for english");
    private static final Pattern PRESS_A_KEY = Pattern.compile("\\bpress (\\d|one|two|three|four|five|six|seven|eight|nine|zero|star|pound)\\b");
    private static final Pattern NOT_WORDS = Pattern.compile("[^a-z0-9 ]");

    private final Duration minGreeting;
    private final int minWords;

    public MachineDetector(Duration minGreeting, int minWords) {
        this.minGreeting = minGreeting;
        this.minWords = minWords;
    }

    /**
     * Classifies the first utterance heard.
     *
     * @param text       what was recognized
     * @param durationMs how long it was spoken, without a pause long enough to end a turn
     */
    public Verdict classify(String text, long durationMs) {
        String plain = text == null ? "" : NOT_WORDS.matcher(text.toLowerCase(Locale.ROOT).replace("'", "").replace("’", ""))
                .replaceAll(" ").replaceAll("\\s+", " ").strip();
        if (plain.isEmpty()) {
            return new Verdict(AnsweredBy.UNKNOWN, "nothing was said");
        }
        for (String phrase : MACHINE_PHRASES) {
            if (plain.contains(phrase)) {
                return new Verdict(AnsweredBy.MACHINE, "a recorded message: \"" + phrase + "\"");
            }
        }
        var press = PRESS_A_KEY.matcher(plain);
        if (press.find()) {
            return new Verdict(AnsweredBy.MACHINE, "a phone menu: \"" + press.group() + "\"");
        }
        int words = plain.split(" ").length;
        if (durationMs >= minGreeting.toMillis()) {
            return new Verdict(AnsweredBy.MACHINE, "an uninterrupted greeting of " + Math.round(durationMs / 100.0) / 10.0 + " s");
        }
        if (words >= minWords) {
            return new Verdict(AnsweredBy.MACHINE, "an uninterrupted greeting of " + words + " words");
        }
        return new Verdict(AnsweredBy.HUMAN, "a short answer of " + words + (words == 1 ? " word" : " words"));
    }
}
