package dev.switchboard.transcripts.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.transcripts.live.EndNotice;
import dev.switchboard.transcripts.live.LiveListener;
import dev.switchboard.transcripts.store.SegmentRow;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.jboss.logging.Logger;

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
 * as it arrives, then an event "end" when the session ends, and the stream closes.
 *
 * <p>Live lines that arrive during the replay wait, and every line is sent once per version (an interim with a
 * higher revision, or the final, is sent again with the same segmentId so the client replaces it).
 */
final class TranscriptTail implements LiveListener {
    private static final Logger LOG = Logger.getLogger(TranscriptTail.class);
    private static final Comparator<SegmentRow> SPOKEN_ORDER = Comparator.comparingLong(SegmentRow::startMs).thenComparingLong(SegmentRow::sequence);

    private final UUID sessionId;
    private final SseEventSink sink;
    private final Sse sse;
    private final ObjectMapper json;
    private final Runnable onClose;
    private final Map<UUID, SegmentRow> sent = new HashMap<>();
    private List<SegmentRow> waiting = new ArrayList<>();
    private EndNotice waitingEnd;
    private boolean replaying = true;
    private boolean closed;

    TranscriptTail(UUID sessionId, SseEventSink sink, Sse sse, ObjectMapper json, Runnable onClose) {
        this.sessionId = sessionId;
        this.sink = sink;
        this.sse = sse;
        this.json = json;
        this.onClose = onClose;
    }

    /** Sends what is known so far, then goes live; ends at once when the session is already over. */
    synchronized void replay(List<SegmentRow> stored, List<SegmentRow> recent, EndNotice alreadyEnded) {
        if (closed) {
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
        send(sse.newEventBuilder().name("replayed").mediaType(MediaType.APPLICATION_JSON_TYPE)
                .data(String.class, "{\"segments\":" + ordered.size() + "}").build());
        replaying = false;
        waiting = null;
        EndNotice end = alreadyEnded != null ? alreadyEnded : waitingEnd;
        if (end != null) {
            end(end);
        }
    }

    @Override
    public synchronized void onSegment(SegmentRow segment) {
        if (closed || !segment.sessionId().equals(sessionId)) {
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
        if (closed) {
            return;
        }
        if (replaying) {
            waitingEnd = notice;
        } else {
            end(notice);
        }
    }

    @Override
    public synchronized void onHeartbeat() {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        send(sse.newEventBuilder().comment("keep-alive").build());
    }

    private void sendIfNewer(SegmentRow segment) {
        SegmentRow previous = sent.get(segment.segmentId());
        if (previous != null && !segment.supersedes(previous)) {
            return;
        }
        sent.put(segment.segmentId(), segment);
        send(sse.newEventBuilder().name("segment").id(segment.segmentId() + ":" + segment.revision())
                .mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, write(TranscriptViews.SegmentView.of(segment))).build());
    }

    private void end(EndNotice notice) {
        Map<String, Object> end = new LinkedHashMap<>();
        end.put("sessionId", notice.sessionId());
        end.put("endReason", notice.reason());
        end.put("endedAt", notice.endedAt() == null ? null : notice.endedAt().toString());
        send(sse.newEventBuilder().name("end").mediaType(MediaType.APPLICATION_JSON_TYPE).data(String.class, write(end)).build());
        close();
    }

    private void send(OutboundSseEvent event) {
        if (closed) {
            return;
        }
        if (sink.isClosed()) {
            close();
            return;
        }
        sink.send(event).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.debugf("stream of session %s: client gone (%s)", sessionId, error.toString());
                closeQuietly();
            }
        });
    }

    private synchronized void closeQuietly() {
        if (!closed) {
            close();
        }
    }

    private void close() {
        closed = true;
        try {
            sink.close();
        } catch (RuntimeException e) {
            LOG.debugf("closing the stream of session %s: %s", sessionId, e.toString());
        }
        onClose.run();
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
