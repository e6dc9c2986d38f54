package dev.switchboard.controller.hangup;

import dev.switchboard.controller.support.ExpiringMap;
import dev.switchboard.events.HangupMethod;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * What this controller remembers about calls it ended or saw end, for {@link HangupSettings#rememberFor()}:
 * handled command ids (idempotency) and, per room, whether a hang-up is under way or the call is over
 * (a call ends once: one CallEnded per room).
 *
 * <p>Room names can be reused by a later call. A hang-up that names its session (the worker always does) only
 * counts as a repeat of one for the same session. When either side names no session (an observed end, a system's
 * hang-up that knows only the room), only a hang-up issued before the end was recorded counts as aimed at the ended
 * call: one issued later is for whatever call is in the room now, and is carried out (LiveKit answers "not found" when
 * nothing is). LiveKit's room sid tells one incarnation of a room from the next when webhooks report rooms finished.
 *
 * <p>The memory is per instance: Kafka sends all of a room's requests to one instance, but after a rebalance the
 * next owner does not know what the last one did; LiveKit then answers NOT_FOUND and the repeat is reported as
 * ALREADY_GONE.
 */
@ApplicationScoped
public class CallLedger {

    public enum Status { HANGING_UP, ENDED }

    /**
     * @param sessionId   the session the hang-up named; null when unknown (an observed end, a request without it)
     * @param commandId   the hang-up that ended it; null for an observed end
     * @param roomSid     LiveKit's id of the room incarnation, once a room_finished webhook told it
     * @param finishedSeen a room_finished arrived while the hang-up was still under way
     * @param endedAt     when this controller recorded the end (this controller's clock); null while hanging up
     */
    public record RoomRecord(Status status, String sessionId, String commandId, HangupMethod method, String roomSid,
                             boolean finishedSeen, Instant endedAt) {
        /** Whether a hang-up naming {@code otherSessionId}, issued at {@code issuedAt}, was aimed at this call. */
        boolean aimedAtThisCall(String otherSessionId, Instant issuedAt) {
            if (sessionId != null && otherSessionId != null) {
                return sessionId.equals(otherSessionId);
            }
            // issuedAt has milliseconds only: one issued in the millisecond of the end counts as aimed at this call.
            return endedAt == null || !issuedAt.isAfter(endedAt.truncatedTo(ChronoUnit.MILLIS));
        }

        boolean sameIncarnation(String otherSid) {
            return roomSid == null || otherSid == null || roomSid.equals(otherSid);
        }
    }

    private final ExpiringMap<String, Boolean> commands;
    private final ExpiringMap<String, RoomRecord> rooms;
    private final Clock clock;

    @Inject
    CallLedger(HangupSettings settings, Clock clock) {
        this(settings.rememberFor(), clock);
    }

    public CallLedger(Duration rememberFor, Clock clock) {
        this.commands = new ExpiringMap<>(rememberFor, clock);
        this.rooms = new ExpiringMap<>(rememberFor, clock);
        this.clock = clock;
    }

    public boolean commandHandled(String commandId) {
        return commands.get(commandId).isPresent();
    }

    public void rememberCommand(String commandId) {
        commands.put(commandId, Boolean.TRUE);
    }

    /** What is remembered about the room's call, whether a hang-up is under way or it is over. */
    public Optional<RoomRecord> current(String room) {
        return rooms.get(room);
    }

    /**
     * The record of the call this hang-up would end, if that call is already over. {@code issuedAt}: when the hang-up
     * was issued (the requester's clock), which tells, when a session is not named on both sides, whether it was meant
     * for the ended call or for a later one in the same room.
     */
    public Optional<RoomRecord> ended(String room, String sessionId, Instant issuedAt) {
        return rooms.get(room).filter(r -> r.status() == Status.ENDED && r.aimedAtThisCall(sessionId, issuedAt));
    }

    /**
     * A new call begins in the room (an outbound dial arrives, in the room's turn): what was remembered about an earlier
     * call there no longer says anything about this one, and what is recorded from here on (a hang-up, the room
     * finished) is this call's. A hang-up under way is kept.
     */
    public void newCall(String room) {
        rooms.compute(room, current -> current.filter(r -> r.status() == Status.HANGING_UP));
    }

    /** A hang-up starts: a room_finished webhook arriving meanwhile is its effect, not a separate end. */
    public void hangupStarted(String room, String sessionId, String commandId) {
        rooms.put(room, new RoomRecord(Status.HANGING_UP, sessionId, commandId, null, null, false, null));
    }

    public void hangupSucceeded(String room, String sessionId, String commandId, HangupMethod method) {
        hangupSucceeded(room, sessionId, commandId, method, clock.instant());
    }

    /**
     * {@code endedAt}: when the hang-up was carried out, taken before its CallEnded is published, so a request issued by
     * someone who saw that CallEnded is always later.
     */
    public void hangupSucceeded(String room, String sessionId, String commandId, HangupMethod method, Instant endedAt) {
        rooms.compute(room, current -> Optional.of(new RoomRecord(Status.ENDED, sessionId, commandId, method,
                current.map(RoomRecord::roomSid).orElse(null), false, endedAt)));
        rememberCommand(commandId);
    }

    /**
     * A hang-up failed. Returns true when LiveKit reported the room finished while it was being tried: the call is
     * over all the same, and the hang-up is then reported as ALREADY_GONE (see {@link #hangupSucceeded}).
     */
    public boolean hangupFailed(String room, String commandId) {
        boolean[] finished = {false};
        rooms.compute(room, current -> {
            if (current.isPresent() && current.get().status() == Status.HANGING_UP && Objects.equals(current.get().commandId(), commandId)) {
                finished[0] = current.get().finishedSeen();
                return Optional.empty();
            }
            return current;
        });
        return finished[0];
    }

    /**
     * LiveKit reports the room finished. Returns true when that is news (publish an observed CallEnded), false when
     * this controller's own hang-up caused it or it was already reported for this incarnation of the room.
     */
    public boolean roomFinished(String room, String roomSid) {
        String sid = roomSid == null || roomSid.isBlank() ? null : roomSid;
        boolean[] news = {false};
        rooms.compute(room, current -> {
            if (current.isPresent() && current.get().status() == Status.HANGING_UP) {
                RoomRecord r = current.get();
                return Optional.of(new RoomRecord(r.status(), r.sessionId(), r.commandId(), r.method(), sid, true, r.endedAt()));
            }
            if (current.isPresent() && current.get().sameIncarnation(sid)) {
                RoomRecord r = current.get();
                return Optional.of(new RoomRecord(r.status(), r.sessionId(), r.commandId(), r.method(), sid, r.finishedSeen(), r.endedAt()));
            }
            news[0] = true;
            return Optional.of(new RoomRecord(Status.ENDED, null, null, HangupMethod.OBSERVED, sid, true, clock.instant()));
        });
        return news[0];
    }

    /** Takes back {@link #roomFinished} when its CallEnded could not be published, so LiveKit's retry is news again. */
    public void forgetObservedEnd(String room, String roomSid) {
        String sid = roomSid == null || roomSid.isBlank() ? null : roomSid;
        rooms.compute(room, current -> current.filter(r -> !(r.method() == HangupMethod.OBSERVED && Objects.equals(r.roomSid(), sid))));
    }
}
