package dev.switchboard.worker.session;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Keypad tones (DTMF) as Switchboard writes them: the digits 0-9, {@code *}, {@code #} and A-D, and, in tones to send,
 * {@code w} for a half-second pause (as dialers write it, e.g. {@code 1w2#}).
 */
public final class KeypadTones {
    /** The most tones one command or tool call may send: an IVR answer, not a fax. */
    public static final int MAX_TONES = 64;
    /** The pause a {@code w} stands for. */
    public static final long PAUSE_MILLIS = 500;
    private static final Pattern SENDABLE = Pattern.compile("[0-9*#A-Dw]{1," + MAX_TONES + "}");
    private static final Pattern TONE = Pattern.compile("[0-9*#A-D]");

    private KeypadTones() {
    }

    /** The tones as written by a person or a model: spaces and dashes dropped, a-d upper-cased, W lower-cased. */
    public static String normalize(String digits) {
        if (digits == null) {
            return "";
        }
        String compact = digits.replaceAll("[\\s-]", "").replace('W', 'w');
        StringBuilder normalized = new StringBuilder(compact.length());
        for (char c : compact.toCharArray()) {
            normalized.append(c >= 'a' && c <= 'd' ? Character.toUpperCase(c) : c);
        }
        return normalized.toString();
    }

    /** Why the (normalized) tones cannot be sent, or empty when they can. */
    public static Optional<String> problem(String digits) {
        if (digits.isEmpty()) {
            return Optional.of("digits must not be empty");
        }
        if (digits.length() > MAX_TONES) {
            return Optional.of("digits has " + digits.length() + " tones; the limit is " + MAX_TONES);
        }
        if (!SENDABLE.matcher(digits).matches()) {
            return Optional.of("digits may only hold 0-9, *, #, A-D and w (a half-second pause), not '" + digits + "'");
        }
        if (digits.chars().allMatch(c -> c == 'w')) {
            return Optional.of("digits must press at least one key; w only pauses");
        }
        return Optional.empty();
    }

    /** Whether a key the caller pressed is a keypad tone (the engine may report others, which are ignored). */
    public static boolean isTone(String key) {
        return key != null && TONE.matcher(key.toUpperCase(Locale.ROOT)).matches();
    }

    /** The tones spaced for people and models to read: "1 2 3 #". */
    public static String spaced(String digits) {
        return String.join(" ", digits.split(""));
    }
}
