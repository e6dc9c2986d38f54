package dev.switchboard.worker.session;

/** How long text takes to say, for transports without audio (the simulated call). */
public final class SpeechTiming {
    /** About 150 words a minute, the pace of conversational speech. */
    private static final long MILLIS_PER_WORD = 400;

    private SpeechTiming() {
    }

    public static long estimateMillis(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return 0;
        }
        return Math.max(500, trimmed.split("\\s+").length * MILLIS_PER_WORD);
    }
}
