package dev.switchboard.transcripts.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.format.TranscriptFormat;
import dev.switchboard.transcripts.format.TranscriptRenderer;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionsDeleted;
import dev.switchboard.transcripts.store.TranscriptQueries;
import dev.switchboard.transcripts.store.TranscriptQueries.VersionedSession;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.EntityTag;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Transcripts rendered as they are sent (bytes, with an entity tag), kept per session and format under the version of
 * the session row they were rendered from, within a memory budget (least recently used first out).
 *
 * <p>Why this is safe: the caller reads the session (room, tenant and all) from the database on every request, so a
 * deleted session, or another tenant's, is never found, whatever is kept here; and a kept rendering is used only if the
 * row still has the version it was rendered from. Every update of a session row gives it a new version, and every
 * change of a session's lines updates its row in the same transaction (SegmentWriter), so an equal version means the
 * same session and the same lines. The lines are read after the version, so a rendering holds at least what its
 * version says. Deletions on this instance also drop what is kept of the sessions at once ({@link SessionsDeleted}).
 */
@ApplicationScoped
public class RenderedTranscripts {
    /** A transcript as sent: the body and its entity tag (a hash of the body). */
    public record Rendered(long version, byte[] body, EntityTag tag) {
    }

    private record Key(UUID sessionId, TranscriptFormat format) {
    }

    private final TranscriptQueries transcripts;
    private final ObjectMapper json;
    private final long budget;
    private final Counter hits;
    private final Counter misses;
    /** In access order, so the eldest entry is the least recently used. Guarded by {@code this}. */
    private final LinkedHashMap<Key, Rendered> kept = new LinkedHashMap<>(64, 0.75f, true);
    private long keptBytes;

    RenderedTranscripts(TranscriptQueries transcripts, ObjectMapper json, TranscriptsConfig config, MeterRegistry metrics) {
        this.transcripts = transcripts;
        this.json = json;
        this.budget = config.api().transcriptCacheSize().asLongValue();
        this.hits = metrics.counter("switchboard.transcripts.transcript.renderings", "outcome", "kept");
        this.misses = metrics.counter("switchboard.transcripts.transcript.renderings", "outcome", "rendered");
    }

    /** The session's transcript in the format: as kept if the session row still has the same version, else rendered now. */
    public Rendered of(VersionedSession found, TranscriptFormat format) throws SQLException {
        Key key = new Key(found.session().sessionId(), format);
        Rendered rendered = kept(key, found.version());
        if (rendered != null) {
            hits.increment();
            return rendered;
        }
        misses.increment();
        rendered = render(found, format);
        keep(key, rendered);
        return rendered;
    }

    /** Whether anything of the session is kept (for tests: a deleted session leaves nothing behind). */
    synchronized boolean holds(UUID sessionId) {
        return kept.keySet().stream().anyMatch(k -> k.sessionId().equals(sessionId));
    }

    void deleted(@Observes SessionsDeleted deleted) {
        List<UUID> ids = deleted.sessionIds();
        synchronized (this) {
            kept.entrySet().removeIf(e -> {
                boolean gone = ids.contains(e.getKey().sessionId());
                if (gone) {
                    keptBytes -= e.getValue().body().length;
                }
                return gone;
            });
        }
    }

    private synchronized Rendered kept(Key key, long version) {
        Rendered rendered = kept.get(key);
        return rendered != null && rendered.version() == version ? rendered : null;
    }

    private synchronized void keep(Key key, Rendered rendered) {
        // One transcript may take an eighth of the budget at most, so a few huge ones cannot push out everything else.
        if (rendered.body().length > budget / 8) {
            return;
        }
        Rendered previous = kept.put(key, rendered);
        keptBytes += rendered.body().length - (previous == null ? 0 : previous.body().length);
        var eldest = kept.entrySet().iterator();
        while (keptBytes > budget && eldest.hasNext()) {
            keptBytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    private Rendered render(VersionedSession found, TranscriptFormat format) throws SQLException {
        List<SegmentRow> segments = transcripts.segments(found.session().sessionId());
        byte[] body = format == TranscriptFormat.JSON
                ? json(new TranscriptViews.TranscriptView(TranscriptViews.SessionView.of(found.session(), (long) segments.size()),
                        segments.stream().map(TranscriptViews.SegmentView::of).toList()))
                : TranscriptRenderer.render(format, found.session(), segments).getBytes(StandardCharsets.UTF_8);
        return new Rendered(found.version(), body, tag(body));
    }

    private byte[] json(Object view) {
        try {
            return json.writeValueAsBytes(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the transcript could not be written as JSON", e);
        }
    }

    /** A strong entity tag: 128 bits of the body's SHA-256, so equal tags mean equal bytes. */
    private static EntityTag tag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return new EntityTag(Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
