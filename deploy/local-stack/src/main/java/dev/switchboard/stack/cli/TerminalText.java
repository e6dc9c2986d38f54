package dev.switchboard.stack.cli;

/**
 * What the CLI prints for people comes from calls: a caller's words, an injected line's label, a room's name, a
 * problem's detail. A terminal obeys control characters in it: an escape sequence can set the window title, write a
 * hyperlink or the clipboard, a carriage return or backspace overwrite what was printed, and the bidirectional
 * overrides show the characters after them in another order. So every such character is shown as its code point
 * ({@code <U+001B>}) instead; line breaks and tabs stay (the CLI's own layout), and so do the two sequences the CLI
 * writes itself to show search matches in bold, which at worst make text bold.
 */
final class TerminalText {
    private TerminalText() {
    }

    static String shown(String text) {
        if (text == null || isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\u001b' && (text.startsWith(Render.BOLD, i) || text.startsWith(Render.PLAIN, i))) {
                out.append(c);
            } else if (isUnsafe(c)) {
                out.append(String.format("<U+%04X>", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isUnsafe(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** C0 controls but line feed and tab, DEL, C1 controls, line and paragraph separators, bidi embeddings, overrides and isolates. */
    private static boolean isUnsafe(char c) {
        if (c == '\n' || c == '\t') {
            return false;
        }
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }
}
