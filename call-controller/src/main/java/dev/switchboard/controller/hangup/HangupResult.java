package dev.switchboard.controller.hangup;

import dev.switchboard.events.SessionEvent;

/** What became of one call-control request; the Kafka listener turns it into an ack or a dead letter. */
public sealed interface HangupResult {

    /** The call was ended (or found gone) and CallEnded is on Kafka. */
    record Ended(SessionEvent callEnded) implements HangupResult {
    }

    /** Nothing to do: a repeated command id, or the room's call already ended. Acknowledged, nothing published. */
    record Skipped(String why) implements HangupResult {
    }

    /** Not carried out because it expired; its requester was told so (a CommandResult EXPIRED). Acknowledged. */
    record Expired(String reason) implements HangupResult {
    }

    /** Not carried out as there is no call to end; its requester was told so (a CommandResult REJECTED). Acknowledged. */
    record Rejected(String reason) implements HangupResult {
    }

    /** Not carried out; the request goes to the dead-letter topic with this reason. */
    record Refused(String reason) implements HangupResult {
    }
}
