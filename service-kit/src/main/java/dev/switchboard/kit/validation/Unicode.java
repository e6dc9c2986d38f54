package dev.switchboard.kit.validation;

/**
 * Text that UTF-8 can carry. A JSON string may escape half of a surrogate pair on its own ({@code "\ud800"}); Java keeps
 * it, but no UTF-8 encoder can: it would be stored, logged and sent on as {@code ?}, so a client would never get back
 * what it wrote.
 */
public final class Unicode {
    /** The problem, as a field's constraint message (the field's name goes before it). */
    public static final String LONE_SURROGATE = "is not valid Unicode: a lone surrogate";

    private Unicode() {
    }

    /** Whether the text holds a high surrogate not followed by a low one, or a low one not preceded by a high one. */
    public static boolean hasLoneSurrogate(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
