package dev.switchboard.schemas.audit;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Builds the audit records the services write ({@code switchboard.audit}): one per control action, by the service that
 * carried it out. An action reported twice (a command redelivered, a result published again) gets the same
 * {@code auditId}, so the store keeps it once. No record ever holds the words of a call.
 */
public final class AuditRecords {
    public static final String TRANSCRIPT_DELETED = "TranscriptDeleted";
    public static final String RETENTION_PURGE = "RetentionPurge";
    public static final String DONE = "DONE";
    public static final String FAILED = "FAILED";
    private static final String DEFAULT_TENANT = "default";

    private AuditRecords() {
    }

    /** What became of a session command, as the worker decided it. */
    public static AuditRecord ofCommand(SessionCommand command, CommandResult result, String service) {
        return AuditRecord.newBuilder()
                .setAuditId(stableId(service, "command", command.getCommandId()))
                .setOccurredAt(result.getDecidedAt())
                .setActor(command.getIssuer())
                .setTenant(tenantOf(result.getTenant(), command.getTenant()))
                .setAction(command.getPayload().getClass().getSimpleName())
                .setRoom(command.getRoom())
                .setSessionId(result.getSessionId())
                .setCommandId(command.getCommandId())
                .setOutcome(result.getStatus().name())
                .setDetail(result.getReason())
                .setService(service)
                .build();
    }

    /** What became of a call-control request (a hang-up, a dial, a transfer). */
    public static AuditRecord ofCallControl(CallControlRequest request, String outcome, String detail, String sessionId, Instant at,
                                            String service) {
        return ofCallControl(request, outcome, detail, sessionId, request.getTenant(), at, service);
    }

    /**
     * {@code tenant}: whose trail the record goes to, when not the request's: a request refused because the room is
     * another tenant's call is filed under that tenant, who sees the attempt on its call (as the worker files a command
     * it refused so).
     */
    public static AuditRecord ofCallControl(CallControlRequest request, String outcome, String detail, String sessionId, String tenant,
                                            Instant at, String service) {
        return AuditRecord.newBuilder()
                .setAuditId(stableId(service, "call-control", request.getCommandId(), outcome))
                .setOccurredAt(at)
                .setActor(request.getIssuer())
                .setTenant(tenantOf(tenant, null))
                .setAction(request.getPayload().getClass().getSimpleName())
                .setRoom(request.getRoom())
                .setSessionId(sessionId)
                .setCommandId(request.getCommandId())
                .setOutcome(outcome)
                .setDetail(detail)
                .setService(service)
                .build();
    }

    /** Any other action; {@code auditId} new. */
    public static AuditRecord.Builder action(Issuer actor, String tenant, String action, String outcome, Instant at, String service) {
        return AuditRecord.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setOccurredAt(at)
                .setActor(actor)
                .setTenant(tenantOf(tenant, null))
                .setAction(action)
                .setOutcome(outcome)
                .setService(service);
    }

    /** The system itself as the actor (a retention purge, a policy). */
    public static Issuer system(String id) {
        return Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId(id).build();
    }

    /** The record's Kafka key: its room, or its tenant for an action on no room. */
    public static String key(AuditRecord record) {
        return record.getRoom() != null ? record.getRoom() : record.getTenant();
    }

    private static String tenantOf(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : DEFAULT_TENANT;
    }

    private static String stableId(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
