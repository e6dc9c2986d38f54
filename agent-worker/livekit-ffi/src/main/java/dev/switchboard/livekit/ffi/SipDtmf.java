package dev.switchboard.livekit.ffi;

/**
 * SIP DTMF (telephone keypad) digits and their RFC 4733 event codes, as LiveKit carries them in {@code sip_dtmf} data
 * packets: {@code 0}-{@code 9} are 0-9, {@code *} is 10, {@code #} is 11, {@code A}-{@code D} are 12-15 (lower case
 * accepted on the way in).
 */
public final class SipDtmf {

    /** The highest DTMF event code (digit {@code D}). */
    public static final int MAX_CODE = 15;

    private static final String DIGITS = "0123456789*#ABCD";

    private SipDtmf() {
    }

    /** Whether {@code digit} is a keypad digit: {@code 0-9 * # A-D} (or {@code a-d}). */
    public static boolean isDigit(char digit) {
        return indexOf(digit) >= 0;
    }

    /** The RFC 4733 event code of a keypad digit; {@link IllegalArgumentException} for anything else. */
    public static int code(char digit) {
        int code = indexOf(digit);
        if (code < 0) {
            throw new IllegalArgumentException("not a DTMF digit: '" + digit + "' (0-9, *, #, A-D)");
        }
        return code;
    }

    /** The keypad digit of an event code 0-15 ({@code A}-{@code D} in upper case); {@link IllegalArgumentException} otherwise. */
    public static char digit(int code) {
        if (code < 0 || code > MAX_CODE) {
            throw new IllegalArgumentException("not a DTMF event code: " + code + " (0-" + MAX_CODE + ")");
        }
        return DIGITS.charAt(code);
    }

    /**
     * Checks a code and digit before they are sent: the digit must be one keypad digit and the code its event code.
     * Throws {@link IllegalArgumentException} saying what is wrong.
     */
    public static void requireConsistent(int code, String digit) {
        if (digit == null || digit.length() != 1 || !isDigit(digit.charAt(0))) {
            throw new IllegalArgumentException("not a DTMF digit: " + (digit == null ? "null" : "\"" + digit + "\"")
                    + " (one of 0-9, *, #, A-D)");
        }
        int expected = code(digit.charAt(0));
        if (code != expected) {
            throw new IllegalArgumentException("DTMF code " + code + " does not match digit '" + digit + "' (code " + expected + ")");
        }
    }

    private static int indexOf(char digit) {
        char upper = digit >= 'a' && digit <= 'd' ? (char) (digit - 'a' + 'A') : digit;
        return DIGITS.indexOf(upper);
    }
}
