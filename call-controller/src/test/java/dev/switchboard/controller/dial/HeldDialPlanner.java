package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.LiveKitSettings;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The controller's planner, holding the dials of one room once they began (taken on, not yet dialled) until released:
 * a test's stand-in for a controller slow to start dialling, to carry out what arrives meanwhile first.
 */
public final class HeldDialPlanner extends DialPlanner {
    private final String room;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    public HeldDialPlanner(SipSettings sip, LiveKitSettings livekit, String room) {
        super(sip, livekit);
        this.room = room;
    }

    @Override
    public Result plan(CallControlRequest request, DialRequested dial) {
        if (room.equals(request.getRoom())) {
            held.countDown();
            try {
                if (!released.await(1, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("the test never released the dial");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return super.plan(request, dial);
    }

    /** Waits until a dial of the room is held. */
    public void awaitHeld(Duration wait) throws InterruptedException {
        if (!held.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no dial of room " + room + " began within " + wait);
        }
    }

    public void release() {
        released.countDown();
    }
}
