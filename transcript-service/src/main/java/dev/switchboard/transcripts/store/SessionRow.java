package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One session as stored. Fields from events not seen yet are null; the tenant is 'default' when none was named, and
 * {@link #TENANT_UNKNOWN} for a dial's row whose tenant nobody has told yet.
 */
public record SessionRow(
        UUID sessionId,
        String room,
        Instant startedAt,
        boolean startKnown,
        String transport,
        String direction,
        String agentName,
        String workerId,
        String callerNumber,
        String calleeNumber,
        String sipCallId,
        String sipTrunkId,
        Map<String, String> metadata,
        Instant endedAt,
        Long durationMs,
        String endReason,
        String endedByKind,
        String endedById,
        String endedByName,
        String endDetail,
        Map<String, Object> usage,
        Instant hangupAt,
        String hangupReason,
        String hangupMethod,
        String hangupCommandId,
        String tenant,
        Dial dial,
        List<Transfer> transfers) {
    /**
     * The tenant of a row made by a dial outcome that names no tenant, until the dial's audit record (or the agent's
     * SessionStarted) tells it. Not a tenant name ({@code [A-Za-z0-9._-]}), so no token's tenant matches it: such a row
     * is seen only with tenants:all until its tenant is known.
     */
    public static final String TENANT_UNKNOWN = "(unknown)";

    /**
     * How the dial of an outbound call went (CallAnswered / CallFailed, AnswerClassified); null when none was seen.
     *
     * @param outcome    ANSWERED or the failure's reason; null while only AnswerClassified was seen
     * @param dialOnly   the row holds only the dial: no agent session of it was stored (see V5__dial_outcomes.sql)
     */
    public record Dial(String commandId, String outcome, Instant outcomeAt, String answeredBy, Integer sipStatusCode, String sipStatus,
                       String detail, boolean dialOnly) {
        public boolean failed() {
            return outcome != null && !SessionChange.DialOutcome.ANSWERED.equals(outcome);
        }
    }

    /**
     * A transfer of the caller that was tried (CallEnded TRANSFERRED, TransferFailed), oldest first in {@link #transfers}.
     *
     * @param to       the destination; null when an older call controller did not say
     * @param outcome  TRANSFERRED, or why not: BUSY, NO_ANSWER, DECLINED, ..., FAILED
     */
    public record Transfer(Instant at, String to, String outcome, Integer sipStatusCode, String sipStatus, String detail,
                           String commandId, String requestedByKind, String requestedById, String requestedByName) {
        public boolean transferred() {
            return SessionChange.Transfer.TRANSFERRED.equals(outcome);
        }
    }

    public SessionRow {
        transfers = transfers == null ? List.of() : List.copyOf(transfers);
    }

    public boolean ended() {
        return endedAt != null;
    }
}
