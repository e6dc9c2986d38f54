package dev.switchboard.transcripts.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.transcripts.format.Speakers;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionRow;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The JSON shapes of the API. */
public final class TranscriptViews {
    private TranscriptViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "Who issued a command or ended a call.")
    public record IssuerView(String kind, String id, String displayName) {
        static IssuerView of(String kind, String id, String displayName) {
            return kind == null && id == null ? null : new IssuerView(kind, id, displayName);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "How the call was hung up (from CallEnded).")
    public record HangupView(Instant at, String reason, String method, String commandId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "A transfer of the caller that was tried (the call controller's CallEnded TRANSFERRED or TransferFailed).")
    public record TransferView(
            Instant at,
            @Schema(description = "The destination, a tel: or sip: URI (absent when an older call controller did not say)") String to,
            @Schema(description = "TRANSFERRED, or why not: BUSY, DECLINED, NO_ANSWER, INVALID_NUMBER, TRUNK_REJECTED,"
                    + " TRUNK_UNAVAILABLE, FAILED (the caller then stayed with the agent)") String outcome,
            @Schema(description = "A refusal's SIP status code, e.g. 486") Integer sipStatusCode,
            @Schema(description = "A refusal's SIP reason phrase, e.g. Busy Here") String sipStatus,
            @Schema(description = "What the call controller said about a transfer that did not go through") String detail,
            @Schema(description = "The TransferRequested's command id") String commandId,
            @Schema(description = "Who asked for the transfer") IssuerView requestedBy) {
        static TransferView of(SessionRow.Transfer t) {
            return new TransferView(t.at(), t.to(), t.outcome(), t.sipStatusCode(), t.sipStatus(), t.detail(), t.commandId(),
                    IssuerView.of(t.requestedByKind(), t.requestedById(), t.requestedByName()));
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "A session (one call of an agent). Fields not known yet are absent.")
    public record SessionView(
            UUID sessionId,
            String room,
            @Schema(description = "live until SessionEnded was stored, then ended") String status,
            @Schema(description = "SessionStarted's time; an estimate from the earliest record while startConfirmed is false") Instant startedAt,
            boolean startConfirmed,
            Instant endedAt,
            Long durationMs,
            String endReason,
            IssuerView endedBy,
            String endDetail,
            String transport,
            String direction,
            String agentName,
            String workerId,
            String callerNumber,
            String calleeNumber,
            String sipCallId,
            @Schema(description = "For an outbound call: the command id of the DialRequested that placed it") String dialCommandId,
            @Schema(description = "How the dial of an outbound call went: ANSWERED, or why it failed (BUSY, NO_ANSWER, DECLINED,"
                    + " INVALID_NUMBER, TRUNK_REJECTED, TRUNK_UNAVAILABLE, FAILED, CANCELLED: a hang-up of the room stopped it; older writers also TRUNK_FAILURE, REJECTED, TIMEOUT,"
                    + " ERROR, UNKNOWN). A failed dial whose agent session never started is a session of its own: status ended,"
                    + " durationMs 0, its number as calleeNumber, no agent.") String outcome,
            @Schema(description = "When the call was answered or the dial failed") Instant outcomeAt,
            @Schema(description = "Who answered an outbound call: HUMAN or MACHINE once answering-machine detection decided,"
                    + " UNKNOWN when it was answered and not classified") String answeredBy,
            @Schema(description = "A failed dial's SIP status code, e.g. 486") Integer sipStatusCode,
            @Schema(description = "A failed dial's SIP reason phrase, e.g. Busy Here") String sipStatus,
            @Schema(description = "What the call controller said about a failed dial") String failureDetail,
            Map<String, String> metadata,
            Map<String, Object> usage,
            HangupView hangup,
            @Schema(description = "The transfers of the caller that were tried, oldest first (absent when none was): one that went"
                    + " through ends the call (hangup.reason TRANSFERRED), after a refusal the caller stayed with the agent")
            List<TransferView> transfers,
            @Schema(description = "only in GET /v1/sessions/{room}") Long segmentCount,
            @Schema(description = "the tenant the session belongs to; absent (seen with tenants:all only) for a dial whose"
                    + " tenant no record has told yet") String tenant) {

        public static SessionView of(SessionRow s, Long segmentCount) {
            SessionRow.Dial dial = s.dial();
            return new SessionView(s.sessionId(), s.room(), s.ended() ? "ended" : "live", s.startedAt(), s.startKnown(),
                    s.endedAt(), s.durationMs(), s.endReason(), IssuerView.of(s.endedByKind(), s.endedById(), s.endedByName()),
                    s.endDetail(), s.transport(), s.direction(), s.agentName(), s.workerId(), s.callerNumber(), s.calleeNumber(),
                    s.sipCallId(), dial == null ? null : dial.commandId(), dial == null ? null : dial.outcome(),
                    dial == null ? null : dial.outcomeAt(), dial == null ? null : dial.answeredBy(),
                    dial == null ? null : dial.sipStatusCode(), dial == null ? null : dial.sipStatus(), dial == null ? null : dial.detail(),
                    s.metadata() == null || s.metadata().isEmpty() ? null : s.metadata(), s.usage(),
                    s.hangupAt() == null ? null : new HangupView(s.hangupAt(), s.hangupReason(), s.hangupMethod(), s.hangupCommandId()),
                    s.transfers().isEmpty() ? null : s.transfers().stream().map(TransferView::of).toList(),
                    segmentCount, SessionRow.TENANT_UNKNOWN.equals(s.tenant()) ? null : s.tenant());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "One transcript line, as stored (redacted).")
    public record SegmentView(
            UUID segmentId,
            UUID sessionId,
            long sequence,
            int revision,
            @Schema(description = "USER, AGENT, INJECTED, SYSTEM") String role,
            @Schema(description = "Caller, Agent, Injected (<issuer>), System") String speaker,
            String participantIdentity,
            String text,
            long startMs,
            long endMs,
            boolean isFinal,
            boolean interrupted,
            @Schema(description = "for interrupted agent speech: everything generated; text is the part that was played") String generatedText,
            String language,
            Float confidence,
            IssuerView injectedBy,
            String commandId,
            String label,
            Instant createdAt,
            @Schema(description = "PII detectors that redacted something in this line") List<String> redactions) {

        public static SegmentView of(SegmentRow g) {
            return new SegmentView(g.segmentId(), g.sessionId(), g.sequence(), g.revision(), g.role(), Speakers.label(g),
                    g.participantIdentity(), g.text(), g.startMs(), g.endMs(), g.isFinal(), g.interrupted(), g.generatedText(),
                    g.language(), g.confidence(), IssuerView.of(g.injectedByKind(), g.injectedById(), g.injectedByName()),
                    g.commandId(), g.label(), g.createdAt(), g.redactions().isEmpty() ? null : g.redactions());
        }
    }

    @Schema(description = "A session and its transcript, ordered by startMs then sequence.")
    public record TranscriptView(SessionView session, List<SegmentView> segments) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "A page of sessions; pass nextCursor as ?cursor= for the next one (absent on the last page).")
    public record SessionPage(List<SessionView> sessions, String nextCursor) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "A matching segment with its highlighted text and its session.")
    public record SearchHit(
            @Schema(description = "the matching words wrapped in <mark></mark>; the rest HTML-escaped") String highlight,
            SegmentView segment,
            SessionView session) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(description = "Search results, newest first; pass nextCursor as ?cursor= for more.")
    public record SearchPage(String query, String config, List<SearchHit> results, String nextCursor) {
    }

    @Schema(description = "What a deletion removed (ids and counts, never content). Repeating it removes nothing more.")
    public record DeletionView(String room, int deletedSessions, long deletedSegments, List<UUID> sessionIds) {
    }
}
