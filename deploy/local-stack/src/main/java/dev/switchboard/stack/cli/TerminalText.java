package dev.switchboard.stack.cli;

import java.util.regex.Pattern;

/**
 * What the CLI prints for people comes from calls: a caller's words, an injected line's label, a room's name, a
 * problem's detail. A terminal obeys control characters in it: an escape sequence can set the window title, write a
 * hyperlink or the clipboard, a carriage return or backspace overwrite what was printed, and the bidirectional
 * overrides show the characters after them in another order. So every such character is shown as its code point
 * ({@code <U+001B>}) instead. {@link #field} does it for one value the CLI lays out (a room, a speaker, a line's words), so
 * that a value cannot even add a line or a tab of its own or make text bold; {@link #shown} does it for whole text,
 * keeping its line breaks and tabs, and {@link #laidOut} for output the CLI laid out from such values, keeping too the
 * two sequences it writes itself to show search matches in bold (every value has been through {@link #field}, so
 * those two can only be the CLI's).
 */
final class TerminalText {
    private static final Pattern BREAKS = Pattern.compile("[ \\t\\r\\n]+");

    private TerminalText() {
    }

    /** Text from elsewhere (an error's words, a transcript the service wrote): only its line breaks and tabs stay. */
    static String shown(String text) {
        return escaped(text, false, false);
    }

    /** Output the CLI laid out from {@link #field}s: its line breaks, tabs and bold stay. */
    static String laidOut(String text) {
        return escaped(text, true, false);
    }

    /**
     * One value on one line: runs of spaces, tabs and line breaks become one space, and every other control character,
     * separator, bidirectional control or directional mark (which reorders a label it is not part of) is shown as its
     * code point. A caller's right-to-left words keep reading right to left: their letters carry their direction.
     */
    static String field(String value) {
        return value == null ? "" : escaped(BREAKS.matcher(value).replaceAll(" ").strip(), false, true);
    }

    /** The text with what could steer a terminal as code points; the text itself when nothing could (no copy). */
    private static String escaped(String text, boolean keepBold, boolean marksToo) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = (isUnsafe(c) || marksToo && isDirectionalMark(c))
                    && !(keepBold && c == '\u001b' && (text.startsWith(Render.BOLD, i) || text.startsWith(Render.PLAIN, i)));
            if (unsafe && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null && unsafe) {
                out.append(String.format("<U+%04X>", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    /** The left-to-right, right-to-left and Arabic letter marks. */
    private static boolean isDirectionalMark(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C';
    }

    /** C0 controls but line feed and tab, DEL, C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates. */
    private static boolean isUnsafe(char c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }
}
