package dev.switchboard.gateway.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One thing that happened to a call, from {@code switchboard.session-events}, told in words for people (the console's
 * event list); the event's type is its record name, so a program can still switch on it.
 *
 * @param reason the end reason or failure reason (a dial's or a transfer's), for the events that have one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SessionEventEntry", description = "A session event of a call, told in words")
public record TimelineEntry(String eventId, String room, String sessionId, Instant at,
                            @Schema(description = "SessionStarted, ParticipantJoined, ParticipantLeft, CallAnswered, CallFailed, "
                                    + "AnswerClassified, DtmfReceived, DtmfSent, TransferFailed, CallEnded (reason TRANSFERRED for a transfer that went"
                                    + " through) or SessionEnded") String type,
                            String detail, String reason) {
}
