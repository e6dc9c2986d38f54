package dev.switchboard.transcripts.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.http.SseStream;
import dev.switchboard.transcripts.live.EndNotice;
import dev.switchboard.transcripts.live.LiveListener;
import dev.switchboard.transcripts.store.SegmentRow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One client following one session over Server-Sent Events: first every stored line (plus the lines the live
 * tail saw that may not be stored yet), then an event "replayed", then each new line or newer version of a line
 * as it arrives, then an event "end" when the session ends, and the stream closes. A session deleted meanwhile (on any
 * instance) gets an event "deleted" instead, and the stream closes without sending anything more of it.
 *
 * <p>Live lines that arrive during the replay wait, and every line is sent once per version (an interim with a
 * higher revision, or the final, is sent again with the same segmentId so the client replaces it). The
 * {@link SseStream} ends the stream early when the token expires (at the first heartbeat after it) or the client
 * falls too far behind.
 */
final class TranscriptTail implements LiveListener {
    private static final Comparator<SegmentRow> SPOKEN_ORDER = Comparator.comparingLong(SegmentRow::startMs).thenComparingLong(SegmentRow::sequence);

    private final UUID sessionId;
    private final SseStream stream;
    private final ObjectMapper json;
    private final Map<UUID, SegmentRow> sent = new HashMap<>();
    private List<SegmentRow> waiting = new ArrayList<>();
    private EndNotice waitingEnd;
    private boolean deleted;
    private boolean replaying = true;

    TranscriptTail(UUID sessionId, SseStream stream, ObjectMapper json) {
        this.sessionId = sessionId;
        this.stream = stream;
        this.json = json;
    }

    /** Sends what is known so far, then goes live; ends at once when the session is already over. */
    synchronized void replay(List<SegmentRow> stored, List<SegmentRow> recent, EndNotice alreadyEnded) {
        if (stream.isClosed()) {
            return;
        }
        if (deleted) {
            // Deleted while the stream started: nothing of it is sent, not even what was read before.
            sendDeleted();
            return;
        }
        Map<UUID, SegmentRow> newest = new LinkedHashMap<>();
        for (List<SegmentRow> source : List.of(stored, recent, waiting)) {
            for (SegmentRow row : source) {
                newest.merge(row.segmentId(), row, (kept, next) -> next.supersedes(kept) ? next : kept);
            }
        }
        List<SegmentRow> ordered = new ArrayList<>(newest.values());
        ordered.sort(SPOKEN_ORDER);
        ordered.forEach(this::sendIfNewer);
        stream.sendJson("replayed", null, "{\"segments\":" + ordered.size() + "}");
        replaying = false;
        waiting = null;
        EndNotice end = alreadyEnded != null ? alreadyEnded : waitingEnd;
        if (end != null) {
            end(end);
        }
    }

    @Override
    public synchronized void onSegment(SegmentRow segment) {
        if (stream.isClosed() || !segment.sessionId().equals(sessionId)) {
            return;
        }
        if (replaying) {
            waiting.add(segment);
        } else {
            sendIfNewer(segment);
        }
    }

    @Override
    public synchronized void onEnded(EndNotice notice) {
        if (stream.isClosed()) {
            return;
        }
        if (replaying) {
            waitingEnd = notice;
        } else {
            end(notice);
        }
    }

    /** The session was deleted: an event "deleted" and the stream closes (at once, or as soon as its replay starts). */
    @Override
    public synchronized void onDeleted(UUID id) {
        if (stream.isClosed() || !id.equals(sessionId)) {
            return;
        }
        deleted = true;
        if (!replaying) {
            sendDeleted();
        }
    }

    private void sendDeleted() {
        stream.sendJson("deleted", null, Map.of("sessionId", sessionId), json);
        stream.close();
    }

    @Override
    public synchronized void onHeartbeat() {
        stream.keepAlive();
    }

    private void sendIfNewer(SegmentRow segment) {
        SegmentRow previous = sent.get(segment.segmentId());
        if (previous != null && !segment.supersedes(previous)) {
            return;
        }
        sent.put(segment.segmentId(), segment);
        stream.sendJson("segment", segment.segmentId() + ":" + segment.revision(), TranscriptViews.SegmentView.of(segment), json);
    }

    private void end(EndNotice notice) {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("sessionId", notice.sessionId());
        end.put("endReason", notice.reason());
        end.put("endedAt", notice.endedAt() == null ? null : notice.endedAt().toString());
        stream.sendJson("end", null, end, json);
        stream.close();
    }
}
