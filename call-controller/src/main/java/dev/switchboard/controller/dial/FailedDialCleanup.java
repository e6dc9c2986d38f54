package dev.switchboard.controller.dial;

import dev.switchboard.controller.hangup.CallLedger;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.LiveKitResult;
import dev.switchboard.controller.livekit.LiveKitRooms;
import dev.switchboard.events.HangupMethod;

/**
 * After a failed dial, deletes the room the dial made: the dispatched agent leaves with it, and a phone that might
 * still be ringing stops. The deletion is recorded like a hang-up, so LiveKit's room_finished webhook adds no
 * CallEnded to the CallFailed. A room that existed before the dial is left as it was (others may be in it); a call
 * hung up meanwhile keeps that hang-up's record.
 */
public final class FailedDialCleanup {
    private final LiveKitRooms rooms;
    private final RetryingCaller retrying;
    private final CallLedger ledger;

    public FailedDialCleanup(LiveKitRooms rooms, RetryingCaller retrying, CallLedger ledger) {
        this.rooms = rooms;
        this.retrying = retrying;
        this.ledger = ledger;
    }

    /** Returns what was done, for the CallFailed detail. */
    public String cleanUp(DialPlan plan, boolean roomExisted) {
        String room = plan.room();
        if (roomExisted) {
            return "the room existed before the dial and was left open";
        }
        var hungUp = ledger.current(room).filter(record -> !plan.commandId().equals(record.commandId()));
        if (hungUp.isPresent()) {
            // That hang-up owns the room's record; the room the dispatch made may still need to go.
            LiveKitResult<Void> deleted = retrying.call("DeleteRoom", room, () -> rooms.deleteRoom(room));
            return "the call was hung up meanwhile (command " + hungUp.get().commandId() + ")"
                    + (deleted instanceof LiveKitResult.Done<Void> ? "; room deleted" : "");
        }
        ledger.hangupStarted(room, null, plan.commandId());
        LiveKitResult<Void> deleted = retrying.call("DeleteRoom", room, () -> rooms.deleteRoom(room));
        return switch (deleted) {
            case LiveKitResult.Done<Void> done -> {
                ledger.hangupSucceeded(room, null, plan.commandId(), HangupMethod.DELETE_ROOM);
                yield "room deleted";
            }
            case LiveKitResult.NotFound<Void> gone -> {
                ledger.hangupSucceeded(room, null, plan.commandId(), HangupMethod.ALREADY_GONE);
                yield "room already gone";
            }
            case LiveKitResult.TransientFailure<Void> failure -> {
                ledger.hangupFailed(room, plan.commandId());
                yield "the room could not be deleted: " + failure.message();
            }
            case LiveKitResult.PermanentFailure<Void> failure -> {
                ledger.hangupFailed(room, plan.commandId());
                yield "the room could not be deleted: " + failure.message();
            }
        };
    }
}
