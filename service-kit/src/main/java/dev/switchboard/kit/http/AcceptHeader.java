package dev.switchboard.kit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads an Accept header the way content negotiation can rely on: every media range that is well formed (RFC 9110
 * section 12.5.1: {@code type/subtype} tokens, parameters, a q-value from 0 to 1) is kept as it was written, anything
 * else is left out. A blank header means "anything", as no header does.
 */
public final class AcceptHeader {
    private static final String TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
    private static final String QUOTED = "\"(?:[^\"\\\\\\x00-\\x08\\x0A-\\x1F\\x7F]|\\\\[\\x09\\x20-\\x7E\\x80-\\xFF])*\"";
    private static final Pattern RANGE = Pattern.compile(
            "(?:\\*/\\*|" + TOKEN + "/\\*|" + TOKEN + "/" + TOKEN + ")"
                    + "(?:[ \\t]*;[ \\t]*" + TOKEN + "=(?:" + TOKEN + "|" + QUOTED + "))*");
    private static final Pattern Q = Pattern.compile(";[ \\t]*[qQ]=([^; \\t]*)");
    private static final Pattern QVALUE = Pattern.compile("0(?:\\.[0-9]{0,3})?|1(?:\\.0{0,3})?");

    /** What the header says. */
    public sealed interface Reading {
    }

    /** No header, or a blank one: any media type will do. */
    public record Anything() implements Reading {
    }

    /** The well-formed media ranges; {@code changed} when some were left out. */
    public record Ranges(String value, boolean changed) implements Reading {
    }

    /** Not one well-formed media range. */
    public record Unreadable(String value) implements Reading {
    }

    /** Every range refuses its types ({@code q=0}: "not acceptable", RFC 9110 section 12.4.2): nothing may be sent. */
    public record RefusesEverything(String value) implements Reading {
    }

    private AcceptHeader() {
    }

    /** Reads every Accept header a request carries (several headers count as one comma-separated list). */
    public static Reading read(List<String> headers) {
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        boolean anyRange = false;
        for (String header : headers) {
            for (String range : header.split(",")) {
                String trimmed = range.strip();
                if (trimmed.isEmpty()) {
                    continue; // RFC 9110 lists tolerate empty elements
                }
                anyRange = true;
                if (wellFormed(trimmed)) {
                    kept.add(trimmed);
                } else {
                    changed = true;
                }
            }
        }
        if (!anyRange) {
            return new Anything();
        }
        if (kept.isEmpty()) {
            return new Unreadable(String.join(", ", headers));
        }
        if (kept.stream().allMatch(AcceptHeader::refused)) {
            return new RefusesEverything(String.join(", ", kept));
        }
        return new Ranges(String.join(", ", kept), changed || headers.size() > 1);
    }

    /** A well-formed range whose q-value is zero. */
    private static boolean refused(String range) {
        var q = Q.matcher(range);
        String value = "1";
        while (q.find()) {
            value = q.group(1);
        }
        return Double.parseDouble(value) == 0;
    }

    static boolean wellFormed(String range) {
        if (!RANGE.matcher(range).matches()) {
            return false;
        }
        var q = Q.matcher(range);
        while (q.find()) {
            if (!QVALUE.matcher(q.group(1)).matches()) {
                return false;
            }
        }
        return true;
    }
}
