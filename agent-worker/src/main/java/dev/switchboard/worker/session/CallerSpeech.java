package dev.switchboard.worker.session;

/**
 * What the caller said, as speech recognition heard it. Interim versions and the final one share the segment id;
 * offsets are milliseconds since the session started; confidence and language are null when unknown.
 */
public record CallerSpeech(String segmentId, String text, long startMs, long endMs, Float confidence, String language) {
}
