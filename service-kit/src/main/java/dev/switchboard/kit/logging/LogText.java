package dev.switchboard.kit.logging;

/**
 * A value from outside (a Kafka record's key, a room, a client's text) made safe to put in a log line. The console log
 * is lines of text: a line feed in a value would start a line of the sender's choosing (a forged ERROR, say), a NUL makes
 * tools treat the file as binary, and terminal escapes or bidirectional overrides change what a reader sees. So every
 * control and format character is written as a {@code \}{@code uXXXX} escape (still there to read, never acted on), and
 * a long value is cut, since one record must not fill the log.
 */
public final class LogText {
    /** The most characters of a value a log line shows. */
    static final int MAX_LENGTH = 200;

    private LogText() {
    }

    /** {@code value} as a log line may show it; "null" for null. */
    public static String of(Object value) {
        if (value == null) {
            return "null";
        }
        String text = value.toString();
        StringBuilder shown = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        int count = 0;
        for (int i = 0; i < text.length(); ) {
            if (count == MAX_LENGTH) {
                return shown.append("... (").append(text.length()).append(" characters)").toString();
            }
            int c = text.codePointAt(i);
            if (needsEscape(c)) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
            i += Character.charCount(c);
            count++;
        }
        return shown.toString();
    }

    /** Control characters (C0, DEL, C1), format characters (bidi overrides, zero-width), lone surrogates, line separators. */
    private static boolean needsEscape(int c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
