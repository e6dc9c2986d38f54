package dev.switchboard.transcripts.api;

import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.audit.AuditTrail;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.format.TranscriptFormat;
import dev.switchboard.transcripts.mapping.SpokenText;
import dev.switchboard.transcripts.store.SearchConfigs;
import dev.switchboard.transcripts.store.SessionDeleter;
import dev.switchboard.transcripts.store.SessionFilter;
import dev.switchboard.transcripts.store.SessionQueries;
import dev.switchboard.transcripts.store.SessionRow;
import dev.switchboard.transcripts.store.SessionSort;
import dev.switchboard.transcripts.store.TranscriptQueries;
import dev.switchboard.transcripts.store.TranscriptQueries.VersionedSession;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.util.UUID;

/** Stored sessions and their transcripts. A room means its latest session unless ?sessionId= names another. */
@Path("/v1/sessions")
@RequiresScope(Scopes.TRANSCRIPTS_READ)
@Tag(name = "Sessions and transcripts")
public class StoredSessionsResource {
    private static final Logger LOG = Logger.getLogger(StoredSessionsResource.class);
    static final String OUTCOME_PARAMETER = "How an outbound call's dial went: ANSWERED, or why it failed (BUSY, NO_ANSWER, DECLINED,"
            + " INVALID_NUMBER, TRUNK_REJECTED, TRUNK_UNAVAILABLE, FAILED, CANCELLED: a hang-up of the room stopped it, or an older writer's TRUNK_FAILURE, REJECTED, TIMEOUT, ERROR,"
            + " UNKNOWN). A failed dial is stored even when no agent session of it started";
    static final String ANSWERED_BY_PARAMETER = "Who answered an outbound call: HUMAN or MACHINE (answering-machine detection), UNKNOWN"
            + " (answered, not classified)";

    private final SessionQueries sessions;
    private final TranscriptQueries transcripts;
    private final SessionDeleter deleter;
    private final SearchConfigs searchConfigs;
    private final TranscriptsConfig config;
    private final CurrentCaller caller;
    private final AuditTrail audit;
    private final RenderedTranscripts rendered;

    StoredSessionsResource(SessionQueries sessions, TranscriptQueries transcripts, SessionDeleter deleter, SearchConfigs searchConfigs,
                     TranscriptsConfig config, CurrentCaller caller, AuditTrail audit, RenderedTranscripts rendered) {
        this.rendered = rendered;
        this.caller = caller;
        this.audit = audit;
        this.sessions = sessions;
        this.transcripts = transcripts;
        this.deleter = deleter;
        this.searchConfigs = searchConfigs;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List sessions", description = "The token's tenant's sessions (every tenant's with tenants:all), recent"
            + " sessions first by default, with filters and cursor pagination. An outbound dial that failed before any agent session"
            + " started is listed too (with its outcome, its number and status ended), so outcome=BUSY finds every busy line.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TranscriptViews.SessionPage.class)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "A parameter is malformed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TranscriptViews.SessionPage list(
            @Parameter(description = "Sessions that started at or after this ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "Sessions that started before this ISO-8601 instant") @QueryParam("to") String to,
            @Parameter(description = "The caller's or the callee's number (E.164; spaces and dashes are ignored)") @QueryParam("phone") String phone,
            @Parameter(description = "Agent name") @QueryParam("agent") String agent,
            @Parameter(description = "End reason, e.g. AGENT_HANGUP, CALLER_HANGUP") @QueryParam("endReason") String endReason,
            @Parameter(description = "INBOUND, OUTBOUND, WEB or UNKNOWN") @QueryParam("direction") String direction,
            @Parameter(description = OUTCOME_PARAMETER) @QueryParam("outcome") String outcome,
            @Parameter(description = ANSWERED_BY_PARAMETER) @QueryParam("answeredBy") String answeredBy,
            @Parameter(description = "Exact room name") @QueryParam("room") String room,
            @Parameter(description = "live (not ended yet) or ended") @QueryParam("status") String status,
            @Parameter(description = "true: only sessions with transcript lines; false: only sessions without") @QueryParam("hasText") String hasText,
            @Parameter(description = "Only sessions whose transcript matches this full-text query (web search syntax)") @QueryParam("text") String text,
            @Parameter(description = "Language of the text query (e.g. en, de, german); default: the configured one") @QueryParam("language") String language,
            @Parameter(description = "-startedAt (default), startedAt, -duration, duration") @QueryParam("sort") String sort,
            @Parameter(description = "Page size, 1 to the configured maximum (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) throws SQLException {
        SessionSort order = sort == null || sort.isBlank() ? SessionSort.STARTED_DESC : SessionSort.parse(sort.strip())
                .orElseThrow(() -> ProblemException.invalid("sort: one of " + SessionSort.choices() + ", not '" + sort + "'"));
        String query = SpokenText.composed(Params.text("text", text, 500));
        String textConfig = query == null ? null : searchConfigs.forQuery(language)
                .orElseThrow(() -> ProblemException.invalid("language: no text search configuration for '" + language + "'"));
        SessionFilter filter = new SessionFilter(Params.instant("from", from), Params.instant("to", to), Params.phone(phone),
                Params.text("agent", agent, 200), Params.symbol("endReason", endReason, EndReason.class),
                Params.symbol("direction", direction, CallDirection.class), Params.outcome(outcome),
                Params.symbol("answeredBy", answeredBy, AnsweredBy.class), Params.optionalRoom(room),
                Params.bool("hasText", hasText), query, textConfig, Params.status(status), caller.get().tenantFilter());
        int size = Params.limit(limit, config.api().defaultPageSize(), config.api().maxPageSize());
        SessionQueries.Page page = sessions.list(filter, order, Cursors.sessions(cursor, order), size);
        return new TranscriptViews.SessionPage(page.sessions().stream().map(s -> TranscriptViews.SessionView.of(s, null)).toList(),
                Cursors.sessions(order, page.next()));
    }

    @GET
    @Path("/{room}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One session", description = "The latest session of the room, or the one ?sessionId= names.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TranscriptViews.SessionView.class)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No session stored for this room", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TranscriptViews.SessionView get(@PathParam("room") String room,
                                 @Parameter(description = "A session of this room other than its latest") @QueryParam("sessionId") String sessionId) throws SQLException {
        SessionRow session = find(room, sessionId);
        return TranscriptViews.SessionView.of(session, transcripts.segmentCount(session.sessionId()));
    }

    @GET
    @Path("/{room}/transcript")
    @Operation(summary = "A session's transcript",
            description = "Ordered by startMs, then sequence. Format by ?format= (json, text, srt, vtt) or else the Accept header"
                    + " (application/json, text/plain, application/x-subrip, text/vtt). Text reads like '[00:01.2] Caller: ...';"
                    + " SRT and WebVTT cues carry the speaker (WebVTT as a <v Speaker> voice span). Every response has an ETag;"
                    + " If-None-Match with it answers 304 while the transcript is unchanged.")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TranscriptViews.TranscriptView.class)),
            @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "application/x-subrip", schema = @Schema(type = SchemaType.STRING)),
            @Content(mediaType = "text/vtt", schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "304", description = "Unchanged since the ETag given in If-None-Match")
    @APIResponse(responseCode = "412", description = "If-Match names no current version (the ETag header says which is)", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "Unknown format", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No session stored for this room", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "406", description = "None of the accepted media types is offered", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Response transcript(@PathParam("room") String room,
                               @Parameter(description = "A session of this room other than its latest") @QueryParam("sessionId") String sessionId,
                               @Parameter(description = "json, text, srt or vtt; wins over the Accept header") @QueryParam("format") String format,
                               @Context HttpHeaders headers) throws SQLException {
        TranscriptFormat chosen = chooseFormat(format, headers);
        VersionedSession found = findVersioned(room, sessionId);
        RenderedTranscripts.Rendered transcript = rendered.of(found, chosen);
        switch (ConditionalGet.of(headers, transcript.tag())) {
            case NOT_MODIFIED -> {
                return Response.notModified(transcript.tag()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT).build();
            }
            case PRECONDITION_FAILED -> throw new ProblemException(Response.Status.PRECONDITION_FAILED,
                    "If-Match names no current version of this transcript; its ETag is now " + transcript.tag())
                    .header(HttpHeaders.ETAG, transcript.tag().toString()).header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
            case SEND -> { }
        }
        Response.ResponseBuilder response = Response.ok(transcript.body(), chosen.mediaType()).tag(transcript.tag())
                .header(HttpHeaders.VARY, HttpHeaders.ACCEPT);
        if (chosen == TranscriptFormat.SRT || chosen == TranscriptFormat.VTT) {
            response.header("Content-Disposition", "inline; filename=\"" + fileName(found.session()) + "." + chosen.parameter() + "\"");
        }
        return response.build();
    }

    @DELETE
    @RequiresScope(Scopes.TRANSCRIPTS_DELETE)
    @Path("/{room}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Delete sessions for good",
            description = "Removes every session stored under the room (or only ?sessionId=, when that session is the room's) with all its segments, and remembers the ids"
                    + " so redelivered records cannot bring them back. Repeating the request is harmless: it removes nothing more.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TranscriptViews.DeletionView.class)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "sessionId is not a UUID", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "412", description = "If-Match names a version (a room's stored sessions have none; only * is taken), or is * and nothing is stored",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TranscriptViews.DeletionView delete(@PathParam("room") String room,
                                     @Parameter(description = "Delete only this session of the room") @QueryParam("sessionId") String sessionId,
                                     @Context HttpHeaders headers) throws SQLException {
        String name = Params.room(room);
        UUID id = Params.uuid("sessionId", sessionId);
        String tenant = caller.get().tenantFilter();
        requireWhatIfMatchAsks(headers.getHeaderString(HttpHeaders.IF_MATCH), name, id, tenant);
        SessionDeleter.Deleted deleted = id == null ? deleter.deleteRoom(name, "request", tenant)
                : deleter.deleteSession(name, id, "request", tenant);
        LOG.infof("deleted on request: room %s, %d session(s) %s, %d segment(s)", name, deleted.sessions(), deleted.sessionIds(), deleted.segments());
        audit.deleted(caller.get().issuer(null), name, id, deleted.byTenant());
        return new TranscriptViews.DeletionView(name, deleted.sessions(), deleted.segments(), deleted.sessionIds());
    }

    /**
     * A deletion sent with If-Match is carried out only if the condition holds (RFC 9110: never when it fails). The
     * stored sessions of a room have no version of their own to match, so a named one never holds: a client that sends
     * the transcript's ETag asks for a guard this resource cannot give, and nothing is deleted. {@code *} holds when
     * something is stored.
     */
    private void requireWhatIfMatchAsks(String ifMatch, String room, UUID sessionId, String tenant) throws SQLException {
        if (ifMatch == null) {
            return;
        }
        if (!ifMatch.strip().equals("*")) {
            throw new ProblemException(Response.Status.PRECONDITION_FAILED, "If-Match on a deletion takes only * (delete only what"
                    + " is stored): a room's stored sessions have no version to match (a transcript's ETag is for GET"
                    + " /v1/sessions/{room}/transcript); nothing was deleted");
        }
        if (transcripts.versionedSession(room, sessionId, tenant).isEmpty()) {
            throw new ProblemException(Response.Status.PRECONDITION_FAILED, "If-Match: * and nothing is stored for room '" + room
                    + "'" + (sessionId == null ? "" : " under session " + sessionId));
        }
    }

    private SessionRow find(String room, String sessionId) throws SQLException {
        return findVersioned(room, sessionId).session();
    }

    /** Read from the database on every request: only a stored session of the caller's tenant is found. */
    private VersionedSession findVersioned(String room, String sessionId) throws SQLException {
        String name = Params.room(room);
        UUID id = Params.uuid("sessionId", sessionId);
        return transcripts.versionedSession(name, id, caller.get().tenantFilter()).orElseThrow(() -> ProblemException.sessionNotFound(id == null
                ? "no session stored for room '" + name + "'"
                : "no session " + id + " stored for room '" + name + "'"));
    }

    private static TranscriptFormat chooseFormat(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return TranscriptFormat.byParameter(format).orElseThrow(() -> ProblemException.invalid(
                    "format: one of " + TranscriptFormat.choices() + ", not '" + format + "'"));
        }
        return TranscriptFormat.negotiate(headers.getAcceptableMediaTypes()).orElseThrow(() -> new ProblemException(
                Response.Status.NOT_ACCEPTABLE, "a transcript is served as application/json, text/plain, application/x-subrip or text/vtt;"
                + " the Accept header allows none of them (or use ?format=)"));
    }

    private static String fileName(SessionRow session) {
        return session.room().replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
