package dev.switchboard.controller.webhook;

import dev.switchboard.controller.support.ExpiringMap;
import dev.switchboard.events.DisconnectReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.ParticipantKind;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.Optional;

/**
 * Remembers, per room, why the last caller-side participant (SIP or a standard client, not an agent) left, so that
 * room_finished can say why the call ended: the caller hung up, did not answer, was busy...
 */
@ApplicationScoped
public class CallerDepartures {

    public record Departure(String identity, DisconnectReason disconnectReason, EndReason endReason) {
    }

    private final ExpiringMap<String, Departure> lastDeparture;

    CallerDepartures(WebhookSettings settings, Clock clock) {
        this.lastDeparture = new ExpiringMap<>(settings.rememberFor(), clock);
    }

    public void left(String room, String identity, ParticipantKind kind, DisconnectReason reason) {
        if (kind == ParticipantKind.SIP || kind == ParticipantKind.STANDARD) {
            lastDeparture.put(room, new Departure(identity, reason, endReason(reason)));
        }
    }

    /** The departure that explains the room's end. */
    public Optional<Departure> last(String room) {
        return lastDeparture.get(room);
    }

    /** The room's end was reported: its departures explain nothing more. */
    public void forget(String room) {
        lastDeparture.remove(room);
    }

    static EndReason endReason(DisconnectReason reason) {
        return switch (reason) {
            case CLIENT_INITIATED -> EndReason.CALLER_HANGUP;
            case USER_UNAVAILABLE -> EndReason.NO_ANSWER;
            case USER_REJECTED -> EndReason.BUSY;
            case SIP_TRUNK_FAILURE -> EndReason.TRUNK_FAILURE;
            case PARTICIPANT_REMOVED -> EndReason.PARTICIPANT_REMOVED;
            case ROOM_DELETED -> EndReason.ROOM_DELETED;
            default -> EndReason.ROOM_CLOSED;
        };
    }
}
