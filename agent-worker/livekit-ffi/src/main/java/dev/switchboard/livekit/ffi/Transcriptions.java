package dev.switchboard.livekit.ffi;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Live captions the way LiveKit front ends read them: one text stream per segment on topic
 * {@code lk.transcription}, attributes {@code lk.segment_id}, {@code lk.transcribed_track_id} and
 * {@code lk.transcription_final}. Agent speech is sent as the agent; user speech on the user's behalf
 * (sender identity = the user, which needs the token's permission to impersonate).
 */
public final class Transcriptions {

    public static final String TOPIC = "lk.transcription";
    public static final String SEGMENT_ID = "lk.segment_id";
    public static final String TRACK_ID = "lk.transcribed_track_id";
    public static final String FINAL = "lk.transcription_final";

    private Transcriptions() {
    }

    /** Opens the stream of one segment; write text increments, then {@link #finish}. */
    public static TextStreamWriter open(Room room, String segmentId, String transcribedTrackSid, String senderIdentity,
            Duration timeout) {
        return room.streamText(TOPIC, Map.of(SEGMENT_ID, segmentId, TRACK_ID, transcribedTrackSid, FINAL, "false"),
                senderIdentity, List.of(), timeout);
    }

    /** Closes a segment's stream; {@code fin} marks the trailer final. */
    public static void finish(TextStreamWriter writer, boolean fin, Duration timeout) {
        writer.close(Map.of(FINAL, Boolean.toString(fin)), timeout);
    }
}
