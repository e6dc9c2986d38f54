package dev.switchboard.transcripts.format;

import java.util.regex.Pattern;

/**
 * Keeps a cue's text from being read as anything but text by a subtitle player. SubRip has no escapes, so what a caller
 * said or an injected line carries is neutralised instead: an arrow ("-->") would start a new cue's timing line, and
 * players render SubRip's HTML-like tags ({@code <i>}, {@code <font color=...>}) and the ASS override blocks VLC and mpv
 * honour ({@code {\an8}}), so a line could restyle, move or hide itself.
 */
final class CueText {
    /** Any run of two or more hyphens before a '>': replacing only "-->" would leave "--->" as "-->". */
    private static final Pattern ARROW = Pattern.compile("-{2,}>");
    /**
     * The tags SubRip players apply (italic, bold, underline, strike-through, font colour and face), opening or closing,
     * with whatever attributes. Other words in angle brackets ("I <think> so") are shown as written by players, so stay.
     */
    private static final Pattern TAG = Pattern.compile("<(/?(?:[ibus]|font)(?:\\s[^<>]*)?)>", Pattern.CASE_INSENSITIVE);

    private CueText() {
    }

    /** The text with no cue timing arrow left in it: every run of hyphens before '>' becomes one. */
    static String withoutArrows(String text) {
        return text.indexOf("-->") < 0 ? text : ARROW.matcher(text).replaceAll("->");
    }

    /** A SubRip cue line: no arrow, and tags and override blocks shown as the characters they are, not applied. */
    static String subRip(String text) {
        String line = withoutArrows(text);
        if (line.indexOf('<') >= 0) {
            line = TAG.matcher(line).replaceAll("\u2039$1\u203A");
        }
        return line.replace("{\\", "{ \\");
    }
}
