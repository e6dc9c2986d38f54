package dev.switchboard.transcripts.api;

import dev.switchboard.transcripts.store.SearchQueries;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Builds an HTML-safe highlight of a line: the line's own text, escaped, with the words PostgreSQL matched (as
 * marked by ts_headline) wrapped in {@code <mark>}. ts_headline's output itself is not used as the text, because it
 * drops anything its parser takes for markup (a caller saying "<account>" would lose the word).
 */
final class Highlights {
    private Highlights() {
    }

    static String html(String text, String headline) {
        if (text == null) {
            return null;
        }
        Set<String> matched = matchedWords(headline);
        StringBuilder out = new StringBuilder(text.length() + 32);
        int i = 0;
        while (i < text.length()) {
            int c = text.codePointAt(i);
            if (Character.isLetterOrDigit(c)) {
                int end = i;
                while (end < text.length() && Character.isLetterOrDigit(text.codePointAt(end))) {
                    end += Character.charCount(text.codePointAt(end));
                }
                String word = text.substring(i, end);
                if (matched.contains(word.toLowerCase(Locale.ROOT))) {
                    out.append("<mark>").append(word).append("</mark>");
                } else {
                    out.append(word);
                }
                i = end;
            } else {
                escape(out, c);
                i += Character.charCount(c);
            }
        }
        return out.toString();
    }

    private static Set<String> matchedWords(String headline) {
        Set<String> words = new HashSet<>();
        if (headline == null) {
            return words;
        }
        int start = headline.indexOf(SearchQueries.MARK_START);
        while (start >= 0) {
            int end = headline.indexOf(SearchQueries.MARK_END, start + 1);
            if (end < 0) {
                break;
            }
            // "e-mail" may be marked as one token; the line is walked word by word, so its parts count too.
            for (String part : headline.substring(start + 1, end).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
                if (!part.isEmpty()) {
                    words.add(part);
                }
            }
            start = headline.indexOf(SearchQueries.MARK_START, end + 1);
        }
        return words;
    }

    private static void escape(StringBuilder out, int c) {
        switch (c) {
            case '&' -> out.append("&amp;");
            case '<' -> out.append("&lt;");
            case '>' -> out.append("&gt;");
            case '"' -> out.append("&quot;");
            case '\'' -> out.append("&#39;");
            default -> out.appendCodePoint(c);
        }
    }
}
