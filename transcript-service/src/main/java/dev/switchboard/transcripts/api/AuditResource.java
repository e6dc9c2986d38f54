package dev.switchboard.transcripts.api;

import dev.switchboard.kit.auth.CurrentCaller;
import dev.switchboard.kit.auth.RequiresScope;
import dev.switchboard.kit.auth.Scopes;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.store.AuditStore;
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
import java.time.Instant;
import java.util.List;

/** The audit trail: who steered, hung up, dialled or deleted what, and what became of it. */
@Path("/v1/audit")
@RequiresScope(Scopes.AUDIT_READ)
@Tag(name = "Audit")
public class AuditResource {
    @Schema(name = "AuditActor", description = "Who acted: the command's issuer (from the bearer token) or the system")
    public record ActorView(String kind, String id, String displayName, String tenant) {
    }

    @Schema(name = "AuditRecord", description = "One control action; never the words of a call")
    public record AuditView(String auditId, Instant occurredAt, String tenant, ActorView actor, String action, String room,
                            String sessionId, String commandId, String outcome, String detail, String service) {
        static AuditView of(AuditStore.AuditRow row) {
            return new AuditView(row.auditId(), row.occurredAt(), row.tenant(),
                    new ActorView(row.actorKind(), row.actorId(), row.actorLabel(), row.actorTenant()), row.action(), row.room(),
                    row.sessionId(), row.commandId(), row.outcome(), row.detail(), row.service());
        }
    }

    @Schema(name = "AuditPage")
    public record AuditPage(List<AuditView> records, String nextCursor) {
    }

    private final AuditStore store;
    private final TranscriptsConfig config;
    private final CurrentCaller caller;

    AuditResource(AuditStore store, TranscriptsConfig config, CurrentCaller caller) {
        this.store = store;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Read the audit trail",
            description = "The token's tenant's audit records (every tenant's with tenants:all), newest first: every session command"
                    + " a worker decided, every hang-up, dial and transfer the call controller handled, every transcript deletion and"
                    + " retention purge, with who acted and the outcome.")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AuditPage.class)))
    @APIResponse(responseCode = "503", description = DatabaseFaults.UNAVAILABLE_DESCRIPTION, content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "400", description = "A parameter is malformed", content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public AuditPage list(
            @Parameter(description = "Only this room") @QueryParam("room") String room,
            @Parameter(description = "Records at or after this ISO-8601 instant") @QueryParam("from") String from,
            @Parameter(description = "Records before this ISO-8601 instant") @QueryParam("to") String to,
            @Parameter(description = "Page size, 1 to the configured maximum (default 50)") @QueryParam("limit") String limit,
            @Parameter(description = "nextCursor of the previous page") @QueryParam("cursor") String cursor) throws SQLException {
        Instant start = Params.instant("from", from);
        Instant end = Params.instant("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw ProblemException.invalid("from must be before to");
        }
        var filter = new AuditStore.Filter(caller.get().tenantFilter(), Params.optionalRoom(room), start, end);
        int size = Params.limit(limit, config.api().defaultPageSize(), config.api().maxPageSize());
        List<AuditStore.AuditRow> rows = store.find(filter, Cursors.audit(cursor), size + 1);
        boolean more = rows.size() > size;
        List<AuditStore.AuditRow> page = more ? rows.subList(0, size) : rows;
        String next = more ? Cursors.audit(new AuditStore.After(page.getLast().occurredAt(), page.getLast().auditId())) : null;
        return new AuditPage(page.stream().map(AuditView::of).toList(), next);
    }
}
