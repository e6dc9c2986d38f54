package dev.switchboard.controller.transfer;

import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.controller.livekit.RoomParticipant;

import java.util.List;

/**
 * The participant a transfer moves: the one the request names, or else the room's SIP participant, looked up with
 * ListParticipants as the hang-up does. A room with several phone legs is ambiguous: the request must name one.
 */
public final class SipCallerLookup {

    public sealed interface Result {
        record Found(String identity) implements Result {
        }

        record Missing(String reason) implements Result {
        }
    }

    private final LiveKitRooms rooms;
    private final RetryingCaller retrying;

    public SipCallerLookup(LiveKitRooms rooms, RetryingCaller retrying) {
        this.rooms = rooms;
        this.retrying = retrying;
    }

    public Result find(String room, String named) {
        if (named != null && !named.isBlank()) {
            return new Result.Found(named);
        }
        return switch (retrying.call("ListParticipants", room, () -> rooms.listParticipants(room))) {
            case LiveKitResult.Done<List<RoomParticipant>> listed -> {
                List<String> sip = listed.value().stream().filter(RoomParticipant::isSip).map(RoomParticipant::identity).toList();
                yield switch (sip.size()) {
                    case 0 -> new Result.Missing("the room has no SIP participant to transfer");
                    case 1 -> new Result.Found(sip.getFirst());
                    default -> new Result.Missing("the room has " + sip.size() + " SIP participants: name the one to transfer (participantIdentity)");
                };
            }
            case LiveKitResult.NotFound<List<RoomParticipant>> gone -> new Result.Missing("the room does not exist (" + gone.message() + ")");
            case LiveKitResult.TransientFailure<List<RoomParticipant>> failure -> new Result.Missing("ListParticipants kept failing: " + failure.message());
            case LiveKitResult.PermanentFailure<List<RoomParticipant>> failure -> new Result.Missing("ListParticipants refused: " + failure.message());
        };
    }
}
