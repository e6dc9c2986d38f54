package dev.switchboard.worker.livekit;

import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.TextStreamWriter;
import dev.switchboard.livekit.ffi.Transcriptions;
import dev.switchboard.worker.voice.Captions;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;

/**
 * Captions as LiveKit front ends read them: {@code lk.transcription} text streams. The caller's lines are sent
 * on their behalf (one stream per update, the final one marked final); each agent utterance is one incremental
 * stream, a sentence per write as its audio starts. Sent from one thread, in order; a failure never touches
 * the call.
 */
final class LiveKitCaptions implements Captions, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LiveKitCaptions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Room room;
    private final String callerIdentity;
    private final String callerTrackSid;
    private final String agentTrackSid;
    private final ExecutorService sender = WorkerThreads.serial("captions");
    private final Map<String, TextStreamWriter> agentStreams = new ConcurrentHashMap<>();

    LiveKitCaptions(Room room, String callerIdentity, String callerTrackSid, String agentTrackSid) {
        this.room = room;
        this.callerIdentity = callerIdentity;
        this.callerTrackSid = callerTrackSid;
        this.agentTrackSid = agentTrackSid;
    }

    @Override
    public void caller(String segmentId, String text, boolean isFinal) {
        send(() -> {
            TextStreamWriter writer = Transcriptions.open(room, segmentId, callerTrackSid, callerIdentity, TIMEOUT);
            writer.write(text, TIMEOUT);
            Transcriptions.finish(writer, isFinal, TIMEOUT);
        });
    }

    @Override
    public void agentSentence(String utteranceId, String sentence) {
        send(() -> {
            TextStreamWriter writer = agentStreams.computeIfAbsent(utteranceId,
                    id -> Transcriptions.open(room, id, agentTrackSid, null, TIMEOUT));
            writer.write(sentence + " ", TIMEOUT);
        });
    }

    @Override
    public void agentDone(String utteranceId) {
        send(() -> {
            TextStreamWriter writer = agentStreams.remove(utteranceId);
            if (writer != null) {
                Transcriptions.finish(writer, true, TIMEOUT);
            }
        });
    }

    private void send(Runnable caption) {
        if (room.isClosed()) {
            return;
        }
        sender.execute(() -> {
            try {
                caption.run();
            } catch (RuntimeException e) {
                LOG.debugf("room %s: a caption was not sent: %s", room.name(), e.getMessage());
            }
        });
    }

    @Override
    public void close() {
        sender.shutdown();
    }
}
