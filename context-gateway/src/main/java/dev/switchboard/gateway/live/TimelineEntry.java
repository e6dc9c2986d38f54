package dev.switchboard.gateway.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;

/**
 * One thing that happened to a call, from {@code switchboard.session-events}, told in words for people (the console's
 * event list); the event's type is its record name, so a program can still switch on it.
 *
 * @param reason        the end reason or failure reason (a dial's or a transfer's), for the events that have one
 * @param transferTo    where a transfer sent the caller (CallEnded TRANSFERRED) or tried to (TransferFailed)
 * @param sipStatusCode the SIP status a refused transfer was answered with, when there was one
 * @param sipStatus     its reason phrase
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "SessionEventEntry", description = "A session event of a call, told in words")
public record TimelineEntry(String eventId, String room, String sessionId, Instant at,
                            @Schema(description = "SessionStarted, ParticipantJoined, ParticipantLeft, CallAnswered, CallFailed, "
                                    + "AnswerClassified, DtmfReceived, DtmfSent, TransferFailed, CallEnded (reason TRANSFERRED for a transfer that went"
                                    + " through) or SessionEnded") String type,
                            String detail, String reason,
                            @Schema(description = "Where the caller was transferred to (CallEnded TRANSFERRED) or was to be (TransferFailed)")
                            String transferTo,
                            @Schema(description = "TransferFailed: the SIP status the destination answered, e.g. 486; absent when there was none")
                            Integer sipStatusCode,
                            @Schema(description = "TransferFailed: the SIP reason phrase, e.g. Busy Here") String sipStatus) {
}
