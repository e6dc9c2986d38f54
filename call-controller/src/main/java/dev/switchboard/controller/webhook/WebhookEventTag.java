package dev.switchboard.controller.webhook;

import java.util.Set;

/**
 * A webhook event's type as the {@code event} tag of {@code switchboard_controller_webhooks_total}: one of LiveKit's
 * own event names, else {@code other}. The type is whatever the signed body says, and each distinct tag value is a time
 * series of its own: a sender (a leaked key, a misconfigured proxy) must not be able to grow them without bound, nor
 * write control characters into the metrics page.
 */
final class WebhookEventTag {
    /** LiveKit's webhook events (livekit/protocol's webhook constants, and participant_connection_aborted). */
    private static final Set<String> LIVEKIT_EVENTS = Set.of("room_started", "room_finished", "participant_joined",
            "participant_left", "participant_connection_aborted", "track_published", "track_unpublished",
            "egress_started", "egress_updated", "egress_ended", "ingress_started", "ingress_updated", "ingress_ended");
    static final String OTHER = "other";

    private WebhookEventTag() {
    }

    static String of(String type) {
        return type != null && LIVEKIT_EVENTS.contains(type) ? type : OTHER;
    }
}
