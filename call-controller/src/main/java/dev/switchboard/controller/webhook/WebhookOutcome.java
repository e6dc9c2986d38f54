package dev.switchboard.controller.webhook;

/** What the controller did with one webhook, as answered to LiveKit (which only looks at the status). */
public record WebhookOutcome(String id, String event, String room, Result result) {

    public enum Result {
        /** A session event was published. */
        PUBLISHED,
        /** The same webhook id was received before (LiveKit retries deliveries). */
        DUPLICATE,
        /** room_finished of a call this controller already reported ended. */
        SUPPRESSED,
        /** An event type the controller does not turn into session events. */
        IGNORED
    }
}
