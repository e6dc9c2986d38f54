package dev.switchboard.controller.hangup;

import dev.switchboard.events.HangupMethod;

/** What carrying out one hang-up against LiveKit came to. */
public sealed interface HangupOutcome {

    /** The call is over (or was already): publish CallEnded with this method. {@code note} is for the log. */
    record Ended(HangupMethod method, String note) implements HangupOutcome {
    }

    /** The call could not be ended; {@code reason} goes with the request to the dead-letter topic. */
    record Failed(String reason) implements HangupOutcome {
    }
}
