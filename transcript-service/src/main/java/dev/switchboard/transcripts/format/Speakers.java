package dev.switchboard.transcripts.format;

import dev.switchboard.transcripts.store.SegmentRow;

/** How a line's speaker is named in every format: Caller, Agent, Injected (crm), System. */
public final class Speakers {
    private Speakers() {
    }

    public static String label(SegmentRow segment) {
        return switch (segment.role()) {
            case "USER" -> "Caller";
            case "AGENT" -> "Agent";
            case "INJECTED" -> "Injected (" + firstNonBlank(segment.injectedById(), segment.injectedByKind(), "unknown") + ")";
            case "SYSTEM" -> "System";
            default -> firstNonBlank(segment.participantIdentity(), "Unknown", null);
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
