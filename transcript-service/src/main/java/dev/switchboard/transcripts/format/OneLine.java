package dev.switchboard.transcripts.format;

/**
 * Keeps what callers said and what senders named themselves on the line it belongs to. Every export is line based: a
 * line break ends a line of the text export and, doubled, a cue of SRT and WebVTT; so a label or a text carrying one
 * (or a control character that moves the cursor of the terminal showing the file) could forge lines that nobody said.
 * Control characters and line or paragraph separators become a space, and the bidirectional overrides and isolates,
 * which show the characters that follow in another order ("\u202Egnp.exe" reads "exe.png"), are dropped; a speaker
 * label also loses the directional marks (right-to-left words keep theirs) and is cut to a length a reader can take in.
 */
final class OneLine {
    static final int MAX_LABEL_CODE_POINTS = 64;

    private OneLine() {
    }

    /** The text on one line: breaks and control characters become single spaces, overrides go; the words are kept. */
    static String of(String text) {
        if (text == null) {
            return "";
        }
        if (isPlain(text)) {
            return text.strip();
        }
        return clean(text, false);
    }

    /** A speaker label: one line, no bidirectional controls or marks, at most {@value #MAX_LABEL_CODE_POINTS} characters. */
    static String label(String text) {
        String line = text == null ? "" : clean(text, true);
        if (line.codePointCount(0, line.length()) <= MAX_LABEL_CODE_POINTS) {
            return line;
        }
        return line.substring(0, line.offsetByCodePoints(0, MAX_LABEL_CODE_POINTS - 1)).stripTrailing() + "…";
    }

    /** The common case, checked without copying: nothing that could break the line. */
    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (breaksTheLine(c) || isBidiOverride(c)) {
                return false;
            }
        }
        return true;
    }

    private static String clean(String text, boolean dropMarks) {
        StringBuilder out = new StringBuilder(text.length());
        boolean spaced = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isBidiOverride(c) || dropMarks && isDirectionalMark(c)) {
                continue;
            }
            if (breaksTheLine(c) || Character.isWhitespace(c)) {
                if (!spaced) {
                    out.append(' ');
                    spaced = true;
                }
                continue;
            }
            out.append(c);
            spaced = false;
        }
        return out.toString().strip();
    }

    /** C0 and C1 controls (line feed, carriage return, escape, ...), DEL, and the Unicode line and paragraph separators. */
    private static boolean breaksTheLine(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }

    /** Embeddings, overrides and isolates: they change the order the characters after them are shown in. */
    private static boolean isBidiOverride(char c) {
        return c >= '\u202A' && c <= '\u202E' || c >= '\u2066' && c <= '\u2069';
    }

    /** The left-to-right, right-to-left and Arabic letter marks. */
    private static boolean isDirectionalMark(char c) {
        return c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
