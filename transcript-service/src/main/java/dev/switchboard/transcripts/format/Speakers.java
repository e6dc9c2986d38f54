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
            case "INJECTED" -> "Injected (" + OneLine.label(firstNonBlank(segment.injectedById(), segment.injectedByKind(), "unknown")) + ")";
            case "SYSTEM" -> "System";
            default -> OneLine.label(firstNonBlank(segment.participantIdentity(), "Unknown", null));
        };
    }

    private static String firstNonBlank(String a, String b, String c) {
        if (a != null && !a.isBlank()) {
            return a;
        }
        if (b != null && !b.isBlank()) {
            return b;
        }
        return c;
    }
}
