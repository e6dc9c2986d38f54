package dev.switchboard.gateway.sessions;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.kit.auth.Caller;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The latest session of every room, built from {@code switchboard.session-events}: SessionStarted makes it LIVE,
 * CallEnded ENDING, SessionEnded ENDED. Ended sessions stay visible for a while, then are evicted.
 *
 * <p>A room name may be reused by a later call: a SessionStarted with a new session id replaces the room's entry.
 * Events of an older session of the room (a different session id) change nothing. An ended session of another tenant
 * that a new one replaces stays visible to its own tenant ({@link #find(String, Predicate)}, {@link #all()}) until it
 * is evicted: a room name another tenant reuses must not take that tenant's record of its call away. What a caller
 * reads or steers of a room (its events, commands, stream) is resolved the same way, by {@link #find(String, Predicate)}.
 *
 * <p>A room belongs to one tenant at a time. A session of another tenant that starts while the room's session still
 * runs (two workers' simulated calls given the same room name; LiveKit itself never runs two rooms of one name) does
 * not replace it: it is kept aside as contested, served to its own tenant ({@link #findCurrent}), and becomes the
 * room's session if it still runs when the first one ends. So one tenant can neither take another's call away from it
 * nor steer it.
 */
@Singleton
public class LiveSessionRegistry {
    private static final Logger LOG = Logger.getLogger(LiveSessionRegistry.class);
    private static final Comparator<LiveSession> NEWEST_FIRST = Comparator.comparing(
            LiveSession::startedAt, Comparator.nullsLast(Comparator.reverseOrder()));

    private final ConcurrentMap<String, LiveSession> byRoom = new ConcurrentHashMap<>();
    /** Per room, the ended session of another tenant that the room's current session replaced. */
    private final ConcurrentMap<String, LiveSession> displaced = new ConcurrentHashMap<>();
    /** Per room, a running session of another tenant that started while the room's current session was running. */
    private final ConcurrentMap<String, LiveSession> contested = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration endedRetention;

    @Inject
    LiveSessionRegistry(Clock clock, GatewayConfig config) {
        this(clock, config.sessions().endedRetention());
    }

    public LiveSessionRegistry(Clock clock, Duration endedRetention) {
        this.clock = clock;
        this.endedRetention = endedRetention;
    }

    /** Applies one event in topic order; events the registry does not need (participants, dialling) are ignored. */
    public void apply(SessionEvent event) {
        switch (event.getPayload()) {
            case SessionStarted started -> started(event, started);
            case CallEnded callEnded -> callEnded(event, callEnded);
            case SessionEnded ended -> ended(event, ended);
            default -> {
                // ParticipantJoined/Left, CallAnswered/Failed do not change whether a worker runs the room.
            }
        }
    }

    /** The room's current session, whoever's it is. */
    public Optional<LiveSession> find(String room) {
        return Optional.ofNullable(byRoom.get(room));
    }

    /**
     * The room's latest session a caller may see: the current one if its tenant is visible, else a contested one of a
     * visible tenant, else the ended session of a visible tenant that the current one replaced.
     */
    public Optional<LiveSession> find(String room, Predicate<String> visibleTenant) {
        return findCurrent(room, visibleTenant)
                .or(() -> Optional.ofNullable(displaced.get(room)).filter(s -> visibleTenant.test(s.tenant())));
    }

    /**
     * The room's session a caller may steer: the current one if its tenant is visible, else a contested session of a
     * visible tenant (one that started while another tenant's session ran in the room).
     */
    public Optional<LiveSession> findCurrent(String room, Predicate<String> visibleTenant) {
        return find(room).filter(s -> visibleTenant.test(s.tenant()))
                .or(() -> Optional.ofNullable(contested.get(room)).filter(s -> visibleTenant.test(s.tenant())));
    }

    /**
     * The room's known session that an event names, whichever tenant's: the current one, a contested one or a displaced
     * one; the current one when the event names no session.
     */
    public Optional<LiveSession> session(String room, String sessionId) {
        if (sessionId == null) {
            return find(room);
        }
        return Stream.of(byRoom, contested, displaced).map(sessions -> sessions.get(room))
                .filter(s -> s != null && sessionId.equals(s.sessionId())).findFirst();
    }

    /** Whether the registry knows the room's session of that id (null: one whose id is not known), whichever tenant's. */
    public boolean knows(String room, String sessionId) {
        return Stream.of(byRoom, contested, displaced).map(sessions -> sessions.get(room))
                .anyMatch(s -> s != null && Objects.equals(sessionId, s.sessionId()));
    }

    /** Every known session, newest first, the replaced and contested ones of other tenants included. */
    public List<LiveSession> all() {
        return everySession().sorted(NEWEST_FIRST).toList();
    }

    /** How many sessions are in the given state (for the metrics gauge). */
    public long count(SessionState state) {
        return everySession().filter(s -> s.state() == state).count();
    }

    private Stream<LiveSession> everySession() {
        return Stream.of(byRoom, displaced, contested).flatMap(sessions -> sessions.values().stream());
    }

    /** Forgets sessions that ended longer ago than the retention; returns how many. */
    public int evictEnded() {
        Instant cutoff = clock.instant().minus(endedRetention);
        int before = byRoom.size() + displaced.size();
        byRoom.values().removeIf(s -> isExpired(s, cutoff));
        displaced.values().removeIf(s -> isExpired(s, cutoff));
        return before - byRoom.size() - displaced.size();
    }

    private void started(SessionEvent event, SessionStarted started) {
        byRoom.compute(event.getRoom(), (room, current) -> {
            if (current != null && event.getSessionId() != null && event.getSessionId().equals(current.sessionId())) {
                return current; // a redelivered start must not revive a session that has ended since
            }
            LiveSession next = new LiveSession(room, event.getSessionId(), SessionState.LIVE, started.getTransport(),
                    started.getDirection(), started.getAgentName(), started.getWorkerId(), started.getCallerNumber(),
                    started.getCalleeNumber(), event.getOccurredAt(), null, null, started.getTenant(), commandTopic(started));
            boolean otherTenant = current != null && !sameTenant(current, next);
            if (otherTenant && current.state().hasWorker()) {
                LiveSession earlier = contested.putIfAbsent(room, next);
                if (earlier == null) {
                    LOG.warnf("room %s: a session of tenant %s started while tenant %s's session %s runs there; it is served to its"
                            + " own tenant only and does not replace the running one", room, Caller.tenantOrDefault(next.tenant()),
                            Caller.tenantOrDefault(current.tenant()), current.sessionId());
                }
                return current;
            }
            if (otherTenant && current.state() == SessionState.ENDED) {
                displaced.put(room, current);
            }
            return next;
        });
    }

    /** Whether the event names this session (not just its room: a contested session is never the room's latest). */
    private static boolean named(LiveSession session, SessionEvent event) {
        return event.getSessionId() != null && event.getSessionId().equals(session.sessionId());
    }

    private static boolean sameTenant(LiveSession a, LiveSession b) {
        return Caller.tenantOrDefault(a.tenant()).equals(Caller.tenantOrDefault(b.tenant()));
    }

    private void callEnded(SessionEvent event, CallEnded ended) {
        CallEnd end = CallEnd.of(event, ended);
        byRoom.computeIfPresent(event.getRoom(), (room, current) ->
                current.isSession(event.getSessionId()) && current.callEnd() == null ? current.withCallEnd(end) : current);
        contested.computeIfPresent(event.getRoom(), (room, waiting) ->
                named(waiting, event) && waiting.callEnd() == null ? waiting.withCallEnd(end) : waiting);
    }

    private void ended(SessionEvent event, SessionEnded ended) {
        SessionEnd end = new SessionEnd(event.getOccurredAt(), ended.getReason(), ended.getEndedBy(), ended.getDetail(),
                ended.getDurationMs());
        Instant cutoff = clock.instant().minus(endedRetention);
        LiveSession waiting = contested.get(event.getRoom());
        if (waiting != null && named(waiting, event)) {
            // The contested session ended before the room was free: its tenant keeps the record of it, as displaced.
            contested.remove(event.getRoom(), waiting);
            LiveSession over = waiting.withSessionEnd(end);
            if (!isExpired(over, cutoff)) {
                displaced.put(event.getRoom(), over);
            }
            return;
        }
        byRoom.compute(event.getRoom(), (room, current) -> {
            LiveSession next;
            if (current != null && current.isSession(event.getSessionId())) {
                next = current.sessionEnd() == null ? current.withSessionEnd(end) : current;
            } else {
                // A session whose start we never saw (its SessionStarted left the topic): record what the end tells,
                // unless the room has a session that still runs, or one that started later.
                Instant startedAt = event.getOccurredAt().minusMillis(Math.max(0, ended.getDurationMs()));
                if (current != null && (current.state().hasWorker()
                        || current.startedAt() != null && current.startedAt().isAfter(startedAt))) {
                    return current;
                }
                next = new LiveSession(room, event.getSessionId(), SessionState.ENDED, null, null, null, null, null,
                        null, startedAt, null, end, null, null);
            }
            if (next.state() == SessionState.ENDED && contested.containsKey(room)) {
                // The room is free: the session that waited becomes its session, the ended one stays visible to its tenant.
                if (!isExpired(next, cutoff)) {
                    displaced.put(room, next);
                }
                return contested.remove(room);
            }
            return isExpired(next, cutoff) ? null : next; // replaying old history must not fill memory with it
        });
    }

    /** The worker's own command topic; anything else it might announce is ignored (its commands go to the broadcast topic). */
    private static String commandTopic(SessionStarted started) {
        String topic = started.getCommandTopic();
        if (topic != null && !WorkerCommandTopics.isWorkerCommandTopic(topic)) {
            LOG.warnf("session announced command topic \"%s\", which is not a worker's command topic: its commands go to the broadcast topic", topic);
            return null;
        }
        return topic;
    }

    private static boolean isExpired(LiveSession session, Instant cutoff) {
        return session.state() == SessionState.ENDED && session.sessionEnd() != null && session.sessionEnd().at().isBefore(cutoff);
    }
}
