package dev.switchboard.controller.webhook;

import dev.switchboard.controller.dial.DispatchMetadata;
import dev.switchboard.controller.events.SessionEventPublisher;
import dev.switchboard.controller.events.SessionEvents;
import dev.switchboard.controller.hangup.CallLedger;
import dev.switchboard.controller.livekit.LiveKitMappings;
import dev.switchboard.events.DisconnectReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.ParticipantLeft;
import dev.switchboard.kit.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import livekit.LivekitModels;
import livekit.LivekitWebhook.WebhookEvent;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Turns verified LiveKit webhooks into session events keyed by room: participant_joined, participant_left and
 * room_finished (CallEnded, method OBSERVED, unless this controller ended that call itself). LiveKit retries a
 * delivery it did not see answered, and a captured one could be sent again, so webhook ids are remembered for as long
 * as their event is fresh enough to be accepted ({@link SeenWebhooks}) and a repeat publishes nothing: it is answered
 * 200 DUPLICATE, which ends LiveKit's retries (a 4xx would too, but would count a normal retry as an error).
 */
@ApplicationScoped
public class WebhookService {
    private static final Logger LOG = Logger.getLogger(WebhookService.class);

    static final String PARTICIPANT_JOINED = "participant_joined";
    static final String PARTICIPANT_LEFT = "participant_left";
    static final String ROOM_FINISHED = "room_finished";

    private final SeenWebhooks seen;
    private final WebhookFreshness freshness;
    private final CallLedger ledger;
    private final CallerDepartures departures;
    private final SessionEvents events;
    private final SessionEventPublisher publisher;
    private final MeterRegistry metrics;

    WebhookService(SeenWebhooks seen, WebhookFreshness freshness, CallLedger ledger, CallerDepartures departures,
                   SessionEvents events, SessionEventPublisher publisher, MeterRegistry metrics) {
        this.seen = seen;
        this.freshness = freshness;
        this.ledger = ledger;
        this.departures = departures;
        this.events = events;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    /**
     * Handles one verified, fresh webhook (it has an id and a createdAt). Throws when its session event could not be
     * published, or when too many ids are remembered to guard it (LiveKit then retries).
     */
    public WebhookOutcome handle(WebhookEvent event) {
        String id = event.getId();
        String type = event.getEvent();
        String room = event.getRoom().getName();
        if (room.isBlank() || !isMapped(type)) {
            return done(event, WebhookOutcome.Result.IGNORED);
        }
        // Claimed before publishing so a concurrent retry of the same delivery does not publish too.
        switch (seen.claim(id, freshness.acceptedUntil(event))) {
            case DUPLICATE -> {
                LOG.debugf("webhook %s (%s, room %s) received again, ignored", id, type, room);
                return done(event, WebhookOutcome.Result.DUPLICATE);
            }
            case FULL -> {
                LOG.warnf("webhook %s (%s, room %s) refused: %d ids remembered already (switchboard.webhook.max-remembered-ids); LiveKit will retry",
                        id, type, room, seen.size());
                throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                        "too many recent webhooks to guard this one against replays; retry later");
            }
            case NEW -> {
            }
        }
        try {
            return done(event, switch (type) {
                case PARTICIPANT_JOINED -> participantJoined(event);
                case PARTICIPANT_LEFT -> participantLeft(event);
                case ROOM_FINISHED -> roomFinished(event);
                default -> throw new IllegalStateException("unmapped webhook " + type);
            });
        } catch (RuntimeException e) {
            seen.release(id);
            throw e;
        }
    }

    private WebhookOutcome.Result participantJoined(WebhookEvent event) {
        LivekitModels.ParticipantInfo participant = event.getParticipant();
        ParticipantJoined joined = ParticipantJoined.newBuilder()
                .setIdentity(participant.getIdentity())
                .setName(participant.getName().isEmpty() ? null : participant.getName())
                .setKind(LiveKitMappings.kind(participant.getKind()))
                .setPhoneNumber(participant.getAttributesMap().get(LiveKitMappings.SIP_PHONE_NUMBER))
                .setAttributes(published(participant.getAttributesMap()))
                .build();
        publisher.publish(events.fromWebhook(event.getId(), event.getRoom().getName(), occurredAt(event), joined));
        return WebhookOutcome.Result.PUBLISHED;
    }

    /**
     * A participant's attributes as ParticipantJoined carries them: all but the dial's details a callee carries when no
     * agent was dispatched explicitly (the DialRequested holds them already; the event is not their place).
     */
    private static Map<String, String> published(Map<String, String> attributes) {
        if (!attributes.containsKey(DispatchMetadata.PARTICIPANT_ATTRIBUTE)) {
            return attributes;
        }
        Map<String, String> kept = new HashMap<>(attributes);
        kept.remove(DispatchMetadata.PARTICIPANT_ATTRIBUTE);
        return kept;
    }

    private WebhookOutcome.Result participantLeft(WebhookEvent event) {
        LivekitModels.ParticipantInfo participant = event.getParticipant();
        ParticipantKind kind = LiveKitMappings.kind(participant.getKind());
        DisconnectReason reason = LiveKitMappings.disconnectReason(participant.getDisconnectReason());
        ParticipantLeft left = ParticipantLeft.newBuilder()
                .setIdentity(participant.getIdentity())
                .setKind(kind)
                .setDisconnectReason(reason)
                .build();
        publisher.publish(events.fromWebhook(event.getId(), event.getRoom().getName(), occurredAt(event), left));
        departures.left(event.getRoom().getName(), participant.getIdentity(), kind, reason);
        return WebhookOutcome.Result.PUBLISHED;
    }

    private WebhookOutcome.Result roomFinished(WebhookEvent event) {
        String room = event.getRoom().getName();
        String sid = event.getRoom().getSid();
        Optional<CallerDepartures.Departure> departure = departures.last(room);
        if (!ledger.roomFinished(room, sid)) {
            departures.forget(room);
            LOG.debugf("room %s finished: already reported ended, nothing published", room);
            return WebhookOutcome.Result.SUPPRESSED;
        }
        EndReason reason = departure.map(CallerDepartures.Departure::endReason).orElse(EndReason.ROOM_CLOSED);
        // Only a caller who hung up is known to have ended it; for every other reason LiveKit or the network did.
        Issuer endedBy = departure.filter(d -> d.endReason() == EndReason.CALLER_HANGUP)
                .map(d -> Issuer.newBuilder().setKind(IssuerKind.CALLER).setId(d.identity()).build())
                .orElse(null);
        String detail = departure.map(d -> "LiveKit closed the room after " + d.identity() + " left (" + d.disconnectReason() + ")")
                .orElse("LiveKit closed the room");
        try {
            publisher.publish(events.callObservedEnded(event.getId(), room, occurredAt(event), reason, endedBy, detail));
        } catch (RuntimeException e) {
            ledger.forgetObservedEnd(room, sid);
            throw e;
        }
        departures.forget(room);
        // The detail names the participant, whose SIP identity usually holds the phone number: not logged.
        LOG.infof("room %s finished, reported as CallEnded %s", room, reason);
        return WebhookOutcome.Result.PUBLISHED;
    }

    private static boolean isMapped(String type) {
        return PARTICIPANT_JOINED.equals(type) || PARTICIPANT_LEFT.equals(type) || ROOM_FINISHED.equals(type);
    }

    private Instant occurredAt(WebhookEvent event) {
        return event.getCreatedAt() > 0 ? Instant.ofEpochSecond(event.getCreatedAt()) : events.now();
    }

    private WebhookOutcome done(WebhookEvent event, WebhookOutcome.Result result) {
        metrics.counter("switchboard.controller.webhooks", "event", WebhookEventTag.of(event.getEvent()), "outcome", result.name().toLowerCase()).increment();
        return new WebhookOutcome(event.getId(), event.getEvent(), event.getRoom().getName(), result);
    }
}
