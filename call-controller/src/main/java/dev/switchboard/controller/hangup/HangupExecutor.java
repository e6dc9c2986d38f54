package dev.switchboard.controller.hangup;

import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.controller.livekit.RoomParticipant;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.Transport;

import java.util.List;
import java.util.Optional;

/**
 * Ends one call through LiveKit according to the policy: delete the room, or remove the SIP participant(s).
 * "Not found" means the caller or the room is already gone, which is what a hang-up wants, so it counts as success.
 * Knows nothing about Kafka or memories of earlier hang-ups; {@link HangupService} does.
 */
public final class HangupExecutor {
    private final Optional<LiveKitRooms> livekit;
    private final HangupPolicy defaultPolicy;
    private final RetryingCaller retrying;

    public HangupExecutor(Optional<LiveKitRooms> livekit, HangupPolicy defaultPolicy, RetryingCaller retrying) {
        this.livekit = livekit;
        this.defaultPolicy = defaultPolicy;
        this.retrying = retrying;
    }

    public HangupOutcome hangUp(String room, HangupRequested request) {
        return hangUp(room, request, request.getTransport());
    }

    /** {@code transport}: how the caller is connected, the request's or, when it did not say, what the workers report. */
    public HangupOutcome hangUp(String room, HangupRequested request, Transport transport) {
        if (livekit.isEmpty()) {
            if (transport == Transport.SIMULATED) {
                return new HangupOutcome.Ended(HangupMethod.NOT_NEEDED, "simulated call, no LiveKit room");
            }
            return new HangupOutcome.Failed("LiveKit is not configured (set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET): "
                    + "cannot hang up a call with transport " + transport);
        }
        return switch (policyFor(request)) {
            case DELETE_ROOM -> deleteRoom(livekit.get(), room);
            case REMOVE_SIP_PARTICIPANT -> removeSipParticipants(livekit.get(), room, request.getParticipantIdentity());
        };
    }

    /** The request's scope wins; POLICY_DEFAULT (and a scope this version does not know) leaves it to the configuration. */
    HangupPolicy policyFor(HangupRequested request) {
        return switch (request.getScope()) {
            case DELETE_ROOM -> HangupPolicy.DELETE_ROOM;
            case REMOVE_SIP_PARTICIPANT -> HangupPolicy.REMOVE_SIP_PARTICIPANT;
            case POLICY_DEFAULT -> defaultPolicy;
        };
    }

    private HangupOutcome deleteRoom(LiveKitRooms rooms, String room) {
        return switch (retrying.call("DeleteRoom", room, () -> rooms.deleteRoom(room))) {
            case LiveKitResult.Done<Void> done -> new HangupOutcome.Ended(HangupMethod.DELETE_ROOM, "room deleted");
            case LiveKitResult.NotFound<Void> gone -> new HangupOutcome.Ended(HangupMethod.ALREADY_GONE, gone.message());
            case LiveKitResult.TransientFailure<Void> failure -> new HangupOutcome.Failed("DeleteRoom kept failing: " + failure.message());
            case LiveKitResult.PermanentFailure<Void> failure -> new HangupOutcome.Failed("DeleteRoom refused: " + failure.message());
        };
    }

    /**
     * The named participant, or else every SIP participant of the room: a hang-up is meant to end the call, and a
     * phone leg left in a room without its agent is the failure this controller exists to prevent.
     */
    private HangupOutcome removeSipParticipants(LiveKitRooms rooms, String room, String identity) {
        List<String> identities;
        if (identity != null && !identity.isBlank()) {
            identities = List.of(identity);
        } else {
            switch (retrying.call("ListParticipants", room, () -> rooms.listParticipants(room))) {
                case LiveKitResult.Done<List<RoomParticipant>> listed -> identities = listed.value().stream()
                        .filter(RoomParticipant::isSip).map(RoomParticipant::identity).toList();
                case LiveKitResult.NotFound<List<RoomParticipant>> gone -> {
                    return new HangupOutcome.Ended(HangupMethod.ALREADY_GONE, gone.message());
                }
                case LiveKitResult.TransientFailure<List<RoomParticipant>> failure -> {
                    return new HangupOutcome.Failed("ListParticipants kept failing: " + failure.message());
                }
                case LiveKitResult.PermanentFailure<List<RoomParticipant>> failure -> {
                    return new HangupOutcome.Failed("ListParticipants refused: " + failure.message());
                }
            }
            if (identities.isEmpty()) {
                return new HangupOutcome.Ended(HangupMethod.ALREADY_GONE, "no SIP participant left in the room");
            }
        }
        boolean removedAny = false;
        for (String sip : identities) {
            switch (retrying.call("RemoveParticipant", room, () -> rooms.removeParticipant(room, sip))) {
                case LiveKitResult.Done<Void> done -> removedAny = true;
                case LiveKitResult.NotFound<Void> gone -> {
                    // That leg hung up by itself meanwhile.
                }
                case LiveKitResult.TransientFailure<Void> failure -> {
                    return new HangupOutcome.Failed("RemoveParticipant kept failing: " + failure.message());
                }
                case LiveKitResult.PermanentFailure<Void> failure -> {
                    return new HangupOutcome.Failed("RemoveParticipant refused: " + failure.message());
                }
            }
        }
        // SIP identities usually contain the phone number: the note (logged) says how many, not who.
        return removedAny
                ? new HangupOutcome.Ended(HangupMethod.REMOVE_SIP_PARTICIPANT, "removed " + identities.size() + " SIP participant(s)")
                : new HangupOutcome.Ended(HangupMethod.ALREADY_GONE, "SIP participant(s) already gone");
    }
}
