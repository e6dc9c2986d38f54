package dev.switchboard.transcripts.api;

import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.mapping.SpokenText;
import dev.switchboard.transcripts.store.SearchConfigs;
import dev.switchboard.transcripts.store.SearchQueries;
import dev.switchboard.transcripts.store.SessionFilter;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;

/** Full-text search across every stored transcript. */
@Path("/v1/search")
@RequiresScope(Scopes.TRANSCRIPTS_READ)
@Tag(name = "Search")
public class SearchResource {
    static final int MAX_QUERY_LENGTH = 500;

    private final SearchQueries search;
    private final SearchConfigs searchConfigs;
    private final TranscriptsConfig config;
    private final CurrentCaller caller;

    SearchResource(SearchQueries search, SearchConfigs searchConfigs, TranscriptsConfig config, CurrentCaller caller) {
        this.caller = caller;
        this.search = search;
        this.searchConfigs = searchConfigs;
        this.config = config;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Search transcripts",
            description = "PostgreSQL full-text search (stemmed by language: 'refunds' finds 'refund') over every stored line of the token's tenant (every tenant's with tenants:all), newest first;"
                    + " the sessions can be narrowed with the session list's filters (from, to, phone, agent, endReason, direction,"
                    + " outcome, answeredBy, status)."
                    + " q uses web search syntax: words (all must match), \"a phrase\", or, -excluded. Each result carries its line,"
                    + " a highlight with the matching words in <mark></mark> (everything else HTML-escaped) and its session.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TranscriptViews.SearchPage.class)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "q is missing or a parameter is malformed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public TranscriptViews.SearchPage search(
            @Parameter(description = "What to search for", required = true) @QueryParam("q") String q,
            @Parameter(description = "Language of the query: a tag such as en or de-AT, or a PostgreSQL configuration such as german; default: the configured one") @QueryParam("language") String language,
            @Parameter(description = "Only this room") @QueryParam("room") String room,
            @Parameter(description = "Only sessions of this agent") @QueryParam("agent") String agent,
            @Parameter(description = "Only lines of this role: USER, AGENT, INJECTED, SYSTEM") @QueryParam("role") String role,
            @Parameter(description = "Only sessions that started at or after this ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "Only sessions that started before this ISO-8601 instant") @QueryParam("to") String to,
            @Parameter(description = "Only sessions with this caller's or callee's number (E.164; spaces and dashes are ignored)") @QueryParam("phone") String phone,
            @Parameter(description = "Only sessions with this end reason, e.g. AGENT_HANGUP, CALLER_HANGUP") @QueryParam("endReason") String endReason,
            @Parameter(description = "Only sessions of this direction: INBOUND, OUTBOUND, WEB or UNKNOWN") @QueryParam("direction") String direction,
            @Parameter(description = "Only sessions whose dial went this way. " + StoredSessionsResource.OUTCOME_PARAMETER) @QueryParam("outcome") String outcome,
            @Parameter(description = "Only sessions answered this way. " + StoredSessionsResource.ANSWERED_BY_PARAMETER) @QueryParam("answeredBy") String answeredBy,
            @Parameter(description = "Only sessions that are live (not ended yet) or ended") @QueryParam("status") String status,
            @Parameter(description = "Page size, 1 to the configured maximum (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) throws SQLException {
        String text = SpokenText.composed(Params.text("q", q, MAX_QUERY_LENGTH));
        if (text == null) {
            throw ProblemException.invalid("q: required, e.g. /v1/search?q=refund");
        }
        String searchConfig = searchConfigs.forQuery(language)
                .orElseThrow(() -> ProblemException.invalid("language: no text search configuration for '" + language + "'"));
        // The same session filters as the session list (its transcript filters aside): the hits of the sessions that match.
        SessionFilter sessions = new SessionFilter(Params.instant("from", from), Params.instant("to", to), Params.phone(phone),
                Params.text("agent", agent, 200), Params.symbol("endReason", endReason, EndReason.class),
                Params.symbol("direction", direction, CallDirection.class), Params.outcome(outcome),
                Params.symbol("answeredBy", answeredBy, AnsweredBy.class), null, null, null, null, Params.status(status),
                caller.get().tenantFilter());
        SearchQueries.Query query = new SearchQueries.Query(text, searchConfig, Params.optionalRoom(room),
                Params.symbol("role", role, SpeakerRole.class), sessions);
        int size = Params.limit(limit, config.api().defaultPageSize(), config.api().maxPageSize());
        SearchQueries.Page page = search.search(query, Cursors.search(cursor), size);
        return new TranscriptViews.SearchPage(text, searchConfig, page.hits().stream()
                .map(hit -> new TranscriptViews.SearchHit(Highlights.html(hit.segment().text(), hit.headline()), TranscriptViews.SegmentView.of(hit.segment()),
                        TranscriptViews.SessionView.of(hit.session(), null)))
                .toList(), Cursors.search(page.next()));
    }
}
