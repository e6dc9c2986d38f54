package dev.switchboard.transcripts.redaction;

import java.util.Set;

/** A text after redaction, and which detectors fired on it (empty when nothing was redacted). */
public record Redaction(String text, Set<Detector> fired) {
    public Redaction {
        fired = Set.copyOf(fired);
    }

    public static Redaction unchanged(String text) {
        return new Redaction(text, Set.of());
    }

    public boolean changed() {
        return !fired.isEmpty();
    }
}
