package dev.switchboard.controller.control;

/** What became of one call-control request; the Kafka listener turns it into an ack or a dead letter. */
public sealed interface ControlOutcome {

    /** Carried out (or failed in a way the requester was told about): its event is on Kafka. {@code summary} is for logs. */
    record Done(String summary) implements ControlOutcome {
    }

    /** Nothing to do: a repeated command id, or a call already ended. Acknowledged, nothing published. */
    record Skipped(String why) implements ControlOutcome {
    }

    /** Not carried out and nobody told: the request goes to the dead-letter topic with this reason. */
    record Refused(String reason) implements ControlOutcome {
    }
}
