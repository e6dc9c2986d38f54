package dev.switchboard.testing.livekit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * What happens when the fake dials a number (CreateSIPParticipant), as a test scripts it per number. Waits are
 * real: the fake answers after them, as LiveKit does with {@code wait_until_answered}. A wait longer than the
 * request's ringing timeout ends in LiveKit's own ringing timeout instead.
 */
public sealed interface DialOutcome {

    /** The callee answers after {@code after} (zero: at once). */
    record Answer(Duration after) implements DialOutcome {
    }

    /** The trunk or the phone answers the INVITE with a final SIP status after {@code after}. */
    record Reject(int sipStatus, String reason, Duration after) implements DialOutcome {
    }

    /**
     * The phone rings until the test completes {@code release} (having seen what it wanted to see while it rang), then
     * the INVITE is answered with a final SIP status. Should the release not come within the request's ringing
     * timeout, LiveKit's own ringing timeout ends the dial instead.
     */
    record RejectWhenReleased(int sipStatus, String reason, CompletableFuture<Void> release) implements DialOutcome {
    }

    /** Nobody answers: LiveKit gives up at the request's ringing timeout (Twirp canceled, "sip request timed out"). */
    record RingUntilTimeout() implements DialOutcome {
    }

    static DialOutcome answer() {
        return new Answer(Duration.ZERO);
    }

    /** A slow answer. */
    static DialOutcome answerAfter(Duration after) {
        return new Answer(after);
    }

    static DialOutcome busy() {
        return reject(486, "Busy Here");
    }

    static DialOutcome declined() {
        return reject(603, "Decline");
    }

    /** The network reports the callee unavailable (SIP 480), as carriers do for an unanswered or switched-off phone. */
    static DialOutcome noAnswer() {
        return reject(480, "Temporarily Unavailable");
    }

    static DialOutcome ringingTimeout() {
        return new RingUntilTimeout();
    }

    static DialOutcome invalidNumber() {
        return reject(404, "Not Found");
    }

    static DialOutcome addressIncomplete() {
        return reject(484, "Address Incomplete");
    }

    /** The trunk refuses the call (bad credentials, number not allowed). */
    static DialOutcome trunkRejected() {
        return reject(403, "Forbidden");
    }

    static DialOutcome trunkUnavailable() {
        return reject(503, "Service Unavailable");
    }

    /** Busy (SIP 486) once {@code release} completes; it rings until then. */
    static DialOutcome busyWhenReleased(CompletableFuture<Void> release) {
        return new RejectWhenReleased(486, "Busy Here", release);
    }

    static DialOutcome reject(int sipStatus, String reason) {
        return new Reject(sipStatus, reason, Duration.ZERO);
    }
}
