package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Writes rows in PostgreSQL's COPY text format: tab-separated, backslash escapes, \N for null. */
final class CopyText {
    private final StringBuilder out;
    private boolean firstInRow = true;

    CopyText(int expectedRows) {
        out = new StringBuilder(Math.max(256, expectedRows * 256));
    }

    CopyText text(String value) {
        separator();
        if (value == null) {
            out.append("\\N");
            return this;
        }
        int first = firstToEscape(value);
        if (first < 0) {
            out.append(value); // nearly every value: one bulk copy instead of a char at a time
            return this;
        }
        out.append(value, 0, first);
        for (int i = first; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return this;
    }

    private static int firstToEscape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                return i;
            }
        }
        return -1;
    }

    CopyText uuid(UUID value) {
        return raw(value == null ? null : value.toString());
    }

    CopyText number(long value) {
        separator();
        out.append(value);
        return this;
    }

    CopyText real(Float value) {
        return raw(value == null ? null : value.toString());
    }

    CopyText bool(boolean value) {
        separator();
        out.append(value ? 't' : 'f');
        return this;
    }

    CopyText instant(Instant value) {
        return raw(value == null ? null : value.toString());
    }

    /** A text[] of plain words (detector labels): no element needs quoting. */
    CopyText words(List<String> values) {
        separator();
        out.append('{').append(String.join(",", values)).append('}');
        return this;
    }

    CopyText endRow() {
        out.append('\n');
        firstInRow = true;
        return this;
    }

    private CopyText raw(String value) {
        separator();
        out.append(value == null ? "\\N" : value);
        return this;
    }

    private void separator() {
        if (!firstInRow) {
            out.append('\t');
        }
        firstInRow = false;
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
