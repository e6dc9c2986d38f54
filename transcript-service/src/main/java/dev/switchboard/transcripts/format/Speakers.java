package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SegmentRow;

/** How a line's speaker is named in every format: Caller, Agent, Injected (crm), System. */
public final class Speakers {
    private Speakers() {
    }

    /**
     * The label is one line of at most {@value OneLine#MAX_LABEL_CODE_POINTS} characters: the sender's id comes from
     * whoever injected the line, and must not be able to forge lines of its own in an export.
     */
    public static String label(SegmentRow segment) {
        return switch (segment.role()) {
            case "USER" -> "Caller";
            case "AGENT" -> "Agent";
            case "INJECTED" -> "Injected (" + firstShown(segment.injectedById(), segment.injectedByKind(), "unknown") + ")";
            case "SYSTEM" -> "System";
            default -> firstShown(segment.participantIdentity(), "Unknown", "Unknown");
        };
    }

    /**
     * The first name that still shows something once made a label: an id of nothing but control characters or
     * bidirectional controls is as good as none, and the next name stands in for it rather than an empty "()".
     */
    private static String firstShown(String preferred, String fallback, String last) {
        String label = OneLine.label(preferred);
        if (label.isEmpty()) {
            label = OneLine.label(fallback);
        }
        return label.isEmpty() ? last : label;
    }
}
