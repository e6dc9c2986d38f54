package dev.switchboard.controller.dial;

import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.AgentDispatchInfo;
import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.LiveKitDispatch;
import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.controller.livekit.RoomParticipant;
import dev.switchboard.controller.livekit.SipParticipant;

import java.util.List;

/**
 * Asks LiveKit whether this dial was already begun, before anything rings. Kafka delivers a request again when the
 * controller that had it stopped before acknowledging (a crash, a rebalance): that controller may have dispatched the
 * agent or placed the call already, and what it remembered went with it. LiveKit still knows: the callee's
 * participant carries the dial's command id as an attribute, the agent dispatch names it in its metadata.
 */
public final class EarlierAttempts {

    /** What LiveKit shows of the dial. */
    public sealed interface Finding {
        /** Nothing: dial. {@code roomExisted}: the room was there before (with other participants). */
        record None(boolean roomExisted) implements Finding {
        }

        /** The callee of an earlier attempt is in the call. */
        record Answered(SipParticipant participant) implements Finding {
        }

        /** An earlier attempt began and its outcome is lost: the phone may have rung, so it is not dialled again. */
        record Interrupted(String evidence) implements Finding {
        }

        /** LiveKit could not be asked: not dialled (it would not be reachable for the dial either). */
        record Unknown(String why) implements Finding {
        }
    }

    private final LiveKitRooms rooms;
    private final LiveKitDispatch dispatch;
    private final RetryingCaller retrying;

    public EarlierAttempts(LiveKitRooms rooms, LiveKitDispatch dispatch, RetryingCaller retrying) {
        this.rooms = rooms;
        this.dispatch = dispatch;
        this.retrying = retrying;
    }

    public Finding check(DialPlan plan) {
        String room = plan.room();
        List<RoomParticipant> participants;
        switch (retrying.call("ListParticipants", room, () -> rooms.listParticipants(room))) {
            case LiveKitResult.Done<List<RoomParticipant>> listed -> participants = listed.value();
            case LiveKitResult.NotFound<List<RoomParticipant>> none -> {
                return new Finding.None(false);
            }
            case LiveKitResult.TransientFailure<List<RoomParticipant>> failure -> {
                return new Finding.Unknown("ListParticipants kept failing: " + failure.message());
            }
            case LiveKitResult.PermanentFailure<List<RoomParticipant>> failure -> {
                return new Finding.Unknown("ListParticipants refused: " + failure.message());
            }
        }
        for (RoomParticipant participant : participants) {
            if (plan.commandId().equals(participant.attributes().get(DialPlanner.DIAL_COMMAND_ATTRIBUTE))) {
                String status = participant.attributes().getOrDefault("sip.callStatus", "unknown");
                return "active".equals(status)
                        ? new Finding.Answered(new SipParticipant(null, participant.identity(), room, participant.attributes().get("sip.callID")))
                        : new Finding.Interrupted("its callee is in the room with call status " + status);
            }
        }
        var listed = retrying.retry("ListDispatch", room, () -> dispatch.listDispatches(room), EarlierAttempts::transientReason);
        return switch (listed.last()) {
            case ApiAnswer.Ok<List<AgentDispatchInfo>> ok -> ok.value().stream()
                    .anyMatch(d -> plan.commandId().equals(DispatchMetadata.dialCommandId(d.metadata())))
                    ? new Finding.Interrupted("its agent was dispatched to the room already")
                    : new Finding.None(true);
            case ApiAnswer.Refused<List<AgentDispatchInfo>> refused when refused.error().httpStatus() == 404 -> new Finding.None(false);
            default -> new Finding.Unknown("ListDispatch failed: " + listed.last().describe());
        };
    }

    /** Listing is harmless to repeat. */
    static String transientReason(ApiAnswer<?> answer) {
        return switch (answer) {
            case ApiAnswer.NotSent<?> notSent -> notSent.message();
            case ApiAnswer.NoAnswer<?> noAnswer -> noAnswer.message();
            case ApiAnswer.Refused<?> refused when refused.error().httpStatus() >= 500 || refused.error().httpStatus() == 429 ->
                    refused.error().describe();
            default -> null;
        };
    }
}
