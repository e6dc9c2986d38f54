package dev.switchboard.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.Issuer;
import dev.switchboard.gateway.calls.CallFailure;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.commands.Decision;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.SessionState;
import dev.switchboard.kit.auth.Caller;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** The JSON this API answers with (Avro records never go to Jackson directly). */
public final class GatewayViews {
    private GatewayViews() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Issuer", description = "Who issued a command: id and tenant from the bearer token, displayName a label")
    public record IssuerView(String kind, String id, String displayName, String tenant) {
        static IssuerView of(Issuer issuer) {
            return issuer == null ? null : new IssuerView(issuer.getKind().name(), issuer.getId(), issuer.getDisplayName(),
                    issuer.getTenant());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "CallEnded", description = "How the call ended, from the call controller's CallEnded event")
    public record CallEndView(Instant at, String reason, String method, String detail, IssuerView endedBy,
                              String hangupCommandId) {
        static CallEndView of(CallEnd end) {
            return end == null ? null : new CallEndView(end.at(), end.reason().name(), end.method().name(), end.detail(),
                    IssuerView.of(end.endedBy()), end.hangupCommandId());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Command", description = "A command and what became of it")
    public record CommandView(
            String commandId, String room, String sessionId,
            @Schema(description = "InjectContext, Say, Interrupt, UpdateInstructions, EndSession or HangupRequested") String type,
            @Schema(enumeration = {"PENDING", "APPLIED", "REJECTED", "EXPIRED", "UNKNOWN_SESSION", "UNRECOGNIZED"}) String status,
            String reason, IssuerView issuer, Instant issuedAt, Instant expiresAt, Instant decidedAt, String workerId,
            CallEndView callEnded, String statusUrl) {

        public static CommandView of(TrackedCommand command) {
            Decision decision = command.decision().orElse(null);
            return new CommandView(command.commandId(), command.room(),
                    command.knownSessionId(),
                    command.type(),
                    decision == null ? "PENDING" : decision.outcome().name(),
                    decision == null ? null : decision.reason(),
                    IssuerView.of(command.issuer()), command.issuedAt(), command.expiresAt(),
                    decision == null ? null : decision.decidedAt(),
                    decision == null ? null : decision.workerId(),
                    decision == null ? null : CallEndView.of(decision.callEnd()),
                    statusUrl(command.commandId()));
        }

        /** The command's link, its id one path segment: an Idempotency-Key may hold '/', '?', '#' or '%'. */
        static String statusUrl(String commandId) {
            return "/v1/commands/" + PathSegment.encode(commandId);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "SessionEnded")
    public record SessionEndView(Instant at, String reason, String detail, IssuerView endedBy, long durationMs) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "Session", description = "The latest session of a room")
    public record SessionView(String room, String sessionId, SessionState state, String transport, String direction,
                              String agentName, String workerId, String callerNumber, String calleeNumber,
                              Instant startedAt, Instant endedAt, String endReason, CallEndView callEnded,
                              SessionEndView sessionEnded, String tenant,
                              @Schema(description = "The outbound call that brought the session about (POST /v1/calls or a DialRequested)")
                              CallView call) {

        public static SessionView of(LiveSession s) {
            return of(s, null);
        }

        /**
         * With the room's outbound call, when it is this session's: the call names the session, or names none yet, is its
         * tenant's (a room another tenant reused may be dialling while this tenant's ended session is shown) and the
         * session did not come in (an inbound or web call in a room where a dial rings is not that dial's call).
         */
        public static SessionView of(LiveSession s, OutboundCall call) {
            var end = s.sessionEnd();
            boolean ours = call != null && (call.sessionId() == null
                    ? (!call.isOver() || s.sessionId() == null) && sameTenant(call, s) && !cameIn(s)
                    : call.sessionId().equals(s.sessionId()));
            return new SessionView(s.room(), s.sessionId(), s.state(), s.transport().name(), s.direction().name(),
                    s.agentName(), s.workerId(), s.callerNumber(), s.calleeNumber(), s.startedAt(),
                    end == null ? null : end.at(), end == null ? null : end.reason().name(),
                    CallEndView.of(s.callEnd()),
                    end == null ? null : new SessionEndView(end.at(), end.reason().name(), end.detail(),
                            IssuerView.of(end.endedBy()), end.durationMs()),
                    s.tenant(), ours ? CallView.of(call) : null);
        }

        private static boolean cameIn(LiveSession s) {
            return s.direction() == CallDirection.INBOUND || s.direction() == CallDirection.WEB;
        }

        private static boolean sameTenant(OutboundCall call, LiveSession s) {
            return call.tenant() == null || Caller.tenantOrDefault(call.tenant()).equals(Caller.tenantOrDefault(s.tenant()));
        }
    }

    @Schema(name = "CallFailure", description = "Why the dial failed, as the call controller read LiveKit's answer")
    public record CallFailureView(
            @Schema(enumeration = {"BUSY", "DECLINED", "NO_ANSWER", "INVALID_NUMBER", "TRUNK_REJECTED", "TRUNK_UNAVAILABLE", "FAILED",
                    "REJECTED", "EXPIRED", "UNKNOWN_SESSION", "CANCELLED"},
                    description = "From the controller's CallFailed; REJECTED, EXPIRED or UNKNOWN_SESSION when the controller did not "
                            + "carry out the dial (its CommandResult, e.g. a room that is another tenant's call), the reason in detail; "
                            + "CANCELLED when a hang-up of the room ended the dial before it was answered, while it rang or before it was dialled "
                            + "(the controller's own report in detail)")
            String reason,
            @Schema(description = "The SIP status, e.g. 486; null when there was none (LiveKit's ringing timeout, LiveKit unreachable)")
            Integer sipStatusCode,
            @Schema(description = "The SIP reason phrase, e.g. Busy Here") String sipStatus,
            String detail) {
        static CallFailureView of(CallFailure failure) {
            return failure == null ? null
                    : new CallFailureView(failure.reason(), failure.sipStatusCode(), failure.sipStatus(), failure.detail());
        }
    }

    @Schema(name = "Call", description = "An outbound phone call")
    public record CallView(
            String room, String commandId,
            @Schema(enumeration = {"DIALING", "ANSWERED", "FAILED", "ENDED"}) String state,
            @Schema(description = "The number or SIP URI dialled") String to,
            @Schema(description = "The caller id: the request's, else the one the call controller's outcome names (its default); null: the trunk's own number, or not known yet") String from,
            String trunkId,
            @Schema(enumeration = {"human", "machine"}, description = "Who answered (answering-machine detection); null until known")
            String answeredBy,
            CallFailureView failure,
            @Schema(description = "Why the answered call ended (an EndReason), once it has") String endReason,
            @Schema(description = "The agent's session, once it started") String sessionId,
            Instant requestedAt, Instant answeredAt, Instant endedAt, String statusUrl,
            @Schema(description = "The tenant whose call it is (the one that placed it); shown to tokens with tenants:all too")
            String tenant) {

        public static CallView of(OutboundCall call) {
            return new CallView(call.room(), call.commandId(), call.state().name(), call.to(), call.from(), call.trunkId(),
                    call.answeredBy() == AnsweredBy.UNKNOWN ? null : call.answeredBy().name().toLowerCase(java.util.Locale.ROOT),
                    CallFailureView.of(call.failure()), call.endReason() == null ? null : call.endReason().name(),
                    call.sessionId(), call.requestedAt(), call.answeredAt(), call.endedAt(), statusUrl(call.room()),
                    Caller.tenantOrDefault(call.tenant()));
        }

        static String statusUrl(String room) {
            // A path segment, not form encoding (URLEncoder writes a space as '+', which a path keeps as a '+').
            return "/v1/calls/" + PathSegment.encode(room);
        }
    }

    @Schema(name = "CallList")
    public record CallList(List<CallView> calls) {
    }

    @Schema(name = "SessionList")
    public record SessionList(List<SessionView> sessions) {
    }

    @Schema(name = "SessionEventList")
    public record EventList(List<dev.switchboard.gateway.live.TimelineEntry> events) {
    }

    @Schema(name = "CommandList")
    public record CommandList(List<CommandView> commands) {
    }
}
