package dev.switchboard.transcripts.format;

/** Offsets in milliseconds as the formats write them. */
final class Timecodes {
    private Timecodes() {
    }

    // Written by hand, not with String.format: a one-hour transcript has thousands of them.

    /** HH:MM:SS,mmm (SRT) or HH:MM:SS.mmm (WebVTT). */
    static String cue(long millis, char fractionSeparator) {
        long ms = Math.max(0, millis);
        StringBuilder out = new StringBuilder(12);
        pad(out, ms / 3_600_000, 2).append(':');
        pad(out, (ms / 60_000) % 60, 2).append(':');
        pad(out, (ms / 1000) % 60, 2).append(fractionSeparator);
        return pad(out, ms % 1000, 3).toString();
    }

    /** [mm:ss.t] for the text transcript; [h:mm:ss.t] from the first hour on. */
    static String text(long millis) {
        long ms = Math.max(0, millis);
        long hours = ms / 3_600_000;
        StringBuilder out = new StringBuilder(10);
        if (hours > 0) {
            out.append(hours).append(':');
        }
        pad(out, (ms / 60_000) % 60, 2).append(':');
        pad(out, (ms / 1000) % 60, 2).append('.');
        return out.append((ms % 1000) / 100).toString();
    }

    private static StringBuilder pad(StringBuilder out, long value, int width) {
        String digits = Long.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        return out.append(digits);
    }
}
