package dev.switchboard.transcripts.api;

import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.auth.StreamQuota;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.kit.http.OpenStreams;
import dev.switchboard.kit.http.SseStream;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.live.EndNotice;
import dev.switchboard.transcripts.live.LiveHub;
import dev.switchboard.transcripts.live.LiveStart;
import dev.switchboard.transcripts.store.DeletedSessions;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionRow;
import dev.switchboard.transcripts.store.TranscriptQueries;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The live tail of a transcript over Server-Sent Events. The class has the stored sessions' path and the method the
 * rest: RESTEasy Reactive picks a class by its path first, and a class path that only this class had would make a
 * wrong method on the stream a 404 instead of a 405.
 */
@Path("/v1/sessions")
@RequiresScope(Scopes.TRANSCRIPTS_READ)
@Tag(name = "Sessions and transcripts")
public class TranscriptStreamResource {
    private final TranscriptQueries transcripts;
    private final DeletedSessions deletedSessions;
    private final LiveHub hub;
    private final ObjectMapper json;
    private final CurrentCaller caller;
    private final Clock clock;
    private final StreamQuota quota;
    private final OpenStreams open;
    private final long heartbeatSeconds;

    TranscriptStreamResource(TranscriptQueries transcripts, DeletedSessions deletedSessions, LiveHub hub, ObjectMapper json, CurrentCaller caller, Clock clock,
                             StreamQuota quota, TranscriptsConfig config, OpenStreams open) {
        this.open = open;
        this.caller = caller;
        this.quota = quota;
        this.heartbeatSeconds = Math.max(1, config.live().heartbeat().toSeconds());
        this.clock = clock;
        this.transcripts = transcripts;
        this.deletedSessions = deletedSessions;
        this.hub = hub;
        this.json = json;
    }

    /** The session a stream follows: stored, or seen starting by the live tail and not stored yet. */
    private record Target(UUID sessionId, String room, EndNotice ended, String tenant) {
    }

    /**
     * HEAD of the stream: what a GET would answer, without opening it. Left to JAX-RS, a HEAD runs the GET's method,
     * whose stream never ends: the answer never completed, its connection hung and it held one of the caller's streams.
     */
    @HEAD
    @Path("{room}/transcript/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Whether a transcript can be followed live",
            description = "The headers GET would answer with (200 text/event-stream, or the same problem status), at once; "
                    + "opens no stream and takes none of the caller's.")
    @APIResponse(responseCode = "200", description = "GET would open the stream")
    @APIResponse(responseCode = "404", description = "No session known for this room")
    public Response streamHeaders(@PathParam("room") String room,
                                  @Parameter(description = "A session of this room other than its latest") @QueryParam("sessionId") String sessionId)
            throws SQLException {
        String name = Params.room(room);
        UUID id = Params.uuid("sessionId", sessionId);
        target(name, id).filter(t -> caller.mayAccess(t.tenant())).orElseThrow(() -> notFound(name, id));
        open.refuseWhileClosing();
        return Response.ok().type(MediaType.SERVER_SENT_EVENTS_TYPE).build();
    }

    @GET
    @Path("{room}/transcript/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Follow a transcript live",
            description = "Server-Sent Events: first every line stored so far (event 'segment', JSON like a transcript line), then"
                    + " 'replayed', then each new line or newer version of a line (same segmentId, higher revision or final) within"
                    + " about a second of its publication, then 'end' when the session ends; then the stream closes. For a session"
                    + " that has ended it replays and ends at once. When the session is deleted (on any instance) the stream"
                    + " sends 'deleted' ({\"sessionId\"}) and closes; a deleted session is not found, as its stored transcript.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION + "; or shutting-down: this instance is shutting down and opens no stream (reconnect, to another instance)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No session known for this room", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "429", description = "The caller (the token's subject and tenant, whichever of its tokens) already holds as many open streams as one caller may (switchboard.http.max-streams-per-caller, 20); Retry-After says when a dropped one is freed",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public void stream(@PathParam("room") String room,
                       @Parameter(description = "A session of this room other than its latest") @QueryParam("sessionId") String sessionId,
                       @Context SseEventSink sink, @Context Sse sse) throws SQLException {
        String name = Params.room(room);
        UUID id = Params.uuid("sessionId", sessionId);
        // Another tenant's session is answered as if it did not exist.
        Target target = target(name, id).filter(t -> caller.mayAccess(t.tenant())).orElseThrow(() -> notFound(name, id));
        open.refuseWhileClosing();
        StreamQuota.Place place = quota.take(caller.get(), heartbeatSeconds);
        TranscriptTail[] self = new TranscriptTail[1];
        SseStream[] opened = new SseStream[1];
        Runnable release = () -> {
            if (opened[0] != null) {
                open.closed(opened[0]);
            }
            if (self[0] != null) {
                hub.unsubscribe(target.sessionId(), target.room(), self[0]);
            }
            place.giveBack();
        };
        SseStream stream = new SseStream(sink, sse, caller.expiresAt(), clock, "the transcript of session " + target.sessionId(), release);
        opened[0] = stream;
        if (!open.opened(stream)) { // shutdown began since the check above
            stream.close();
            return;
        }
        TranscriptTail tail = new TranscriptTail(target.sessionId(), stream, json);
        self[0] = tail;
        // Subscribe before reading the database: whatever is committed after the read arrives live instead.
        LiveHub.Subscription subscription = hub.subscribe(target.sessionId(), target.room(), tail);
        if (subscription.deleted()) {
            // Deleted between the lookup and now: answered as a deleted session always is.
            release.run();
            throw notFound(name, id);
        }
        List<SegmentRow> stored;
        try {
            stored = transcripts.segments(target.sessionId());
        } catch (SQLException | RuntimeException e) {
            // Answered as a problem: the stream never started, so nothing of it may stay.
            release.run();
            throw e;
        }
        tail.replay(stored, subscription.recent(), target.ended() != null ? target.ended() : subscription.ended());
    }

    private static ProblemException notFound(String room, UUID sessionId) {
        return ProblemException.sessionNotFound(sessionId == null
                ? "no session known for room '" + room + "'" : "no session " + sessionId + " known for room '" + room + "'");
    }

    private Optional<Target> target(String room, UUID sessionId) throws SQLException {
        // Among the sessions the caller may see: another tenant's later session under the same room name hides nothing.
        Optional<SessionRow> stored = transcripts.session(room, sessionId, caller.get().tenantFilter());
        Optional<LiveStart> live = sessionId == null
                ? hub.latestStart(room, caller::mayAccess)
                : hub.start(sessionId).filter(s -> s.room().equals(room));
        // A session the live tail saw start is not stored yet, or deleted: the tombstones (written by whichever instance
        // deleted it) tell, so a deleted session is never streamed, as it is never served stored.
        if (live.isPresent() && !deletedSessions.among(List.of(live.get().sessionId())).isEmpty()) {
            hub.deleted(List.of(live.get().sessionId()), List.of(room));
            live = Optional.empty();
        }
        if (live.isPresent() && (stored.isEmpty() || (!stored.get().sessionId().equals(live.get().sessionId())
                && live.get().startedAt().isAfter(stored.get().startedAt())))) {
            return Optional.of(new Target(live.get().sessionId(), room, null, live.get().tenant()));
        }
        return stored.map(s -> new Target(s.sessionId(), s.room(),
                s.ended() ? new EndNotice(s.sessionId(), s.endReason(), s.endedAt()) : null, s.tenant()));
    }
}
