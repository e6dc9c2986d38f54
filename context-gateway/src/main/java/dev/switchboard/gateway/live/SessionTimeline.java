package dev.switchboard.gateway.live;

import dev.switchboard.events.SessionEvent;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiPredicate;
import java.util.function.Predicate;

/**
 * The events of each session the registry knows, per room, in topic order, for {@code GET /v1/sessions/{room}/events}
 * and the live stream. A room may have more than one known session (another tenant's ended or contested one, see
 * {@code LiveSessionRegistry}): each keeps its own events, so one tenant's call never shows another's. Rebuilt at every
 * start from the replayed topic, like the session registry; bounded per session (the first events and the end matter
 * most, and a call with hundreds of keypad entries keeps only its latest ones), and a session leaves when the registry
 * forgets it ({@link #retain}).
 */
@Singleton
public class SessionTimeline {
    static final int MAX_PER_ROOM = 200;
    /** The key of a session whose id is not known (an event without one). */
    private static final String NO_ID = "";

    /** Per room, per session id: immutable maps and lists, replaced on every event, so readers never see one half changed. */
    private final ConcurrentMap<String, Map<String, List<TimelineEntry>>> byRoom = new ConcurrentHashMap<>();
    /**
     * Per room, the events of its latest outbound call while that call has no session (CallAnswered, CallFailed, a
     * CallEnded before the agent joined): a dial that failed or ended without a session has no other place for them.
     */
    private final ConcurrentMap<String, DialEvents> byDial = new ConcurrentHashMap<>();

    private record DialEvents(String commandId, List<TimelineEntry> entries) {
    }

    /**
     * Records the event as one of the given session's; returns its entry (empty for what the timeline does not show, or
     * an event seen before).
     *
     * @param sessionId the session the event is about, as the registry resolved it (an event may name none)
     */
    public Optional<TimelineEntry> apply(SessionEvent event, String sessionId) {
        Optional<TimelineEntry> entry = TimelineWording.of(event);
        if (entry.isEmpty()) {
            return entry;
        }
        TimelineEntry e = entry.get();
        String key = key(sessionId);
        boolean[] added = {false};
        byRoom.compute(event.getRoom(), (room, sessions) -> {
            List<TimelineEntry> current = sessions == null ? List.of() : sessions.getOrDefault(key, List.of());
            if (current.stream().anyMatch(known -> known.eventId().equals(e.eventId()))) {
                return sessions; // a redelivered event is shown once
            }
            List<TimelineEntry> next = new ArrayList<>(current);
            next.add(e);
            added[0] = true;
            Map<String, List<TimelineEntry>> changed = sessions == null ? new HashMap<>() : new HashMap<>(sessions);
            changed.put(key, List.copyOf(next.subList(Math.max(0, next.size() - MAX_PER_ROOM), next.size())));
            return Map.copyOf(changed);
        });
        return added[0] ? entry : Optional.empty();
    }

    /**
     * Records the event as one of the room's outbound call of that dial command id, while the call has no session; a
     * newer dial of the room replaces the older one's events. Returns the entry (empty as {@link #apply}).
     */
    public Optional<TimelineEntry> applyToDial(SessionEvent event, String dialCommandId) {
        Optional<TimelineEntry> entry = TimelineWording.of(event);
        if (entry.isEmpty() || dialCommandId == null) {
            return Optional.empty();
        }
        TimelineEntry e = entry.get();
        boolean[] added = {false};
        byDial.compute(event.getRoom(), (room, dial) -> {
            List<TimelineEntry> current = dial == null || !dial.commandId().equals(dialCommandId) ? List.of() : dial.entries();
            if (current.stream().anyMatch(known -> known.eventId().equals(e.eventId()))) {
                return dial;
            }
            List<TimelineEntry> next = new ArrayList<>(current);
            next.add(e);
            added[0] = true;
            return new DialEvents(dialCommandId, List.copyOf(next.subList(Math.max(0, next.size() - MAX_PER_ROOM), next.size())));
        });
        return added[0] ? entry : Optional.empty();
    }

    /** The events of the room's outbound call of that dial command id while it had no session, oldest first. */
    public List<TimelineEntry> dialEntries(String room, String dialCommandId) {
        DialEvents dial = byDial.get(room);
        return dial == null || dialCommandId == null || !dial.commandId().equals(dialCommandId) ? List.of() : dial.entries();
    }

    /** Forgets the dials' events whose calls are no longer known (given room and dial command id); returns how many. */
    public int retainDials(BiPredicate<String, String> known) {
        int forgotten = 0;
        for (var dial : byDial.entrySet()) {
            if (!known.test(dial.getKey(), dial.getValue().commandId()) && byDial.remove(dial.getKey(), dial.getValue())) {
                forgotten++;
            }
        }
        return forgotten;
    }

    /** The events of the room's given session, oldest first. */
    public List<TimelineEntry> entries(String room, String sessionId) {
        return byRoom.getOrDefault(room, Map.of()).getOrDefault(key(sessionId), List.of());
    }

    /** Forgets the sessions the registry no longer knows (given room and session id); returns how many. */
    public int retain(BiPredicate<String, String> known) {
        int forgotten = 0;
        for (String room : byRoom.keySet()) {
            forgotten += retain(room, id -> known.test(room, id));
        }
        return forgotten;
    }

    /** Forgets the room's sessions the registry no longer knows (given the session id); returns how many. */
    public int retain(String room, Predicate<String> known) {
        int[] forgotten = {0};
        byRoom.computeIfPresent(room, (r, sessions) -> {
            Map<String, List<TimelineEntry>> kept = new HashMap<>(sessions);
            kept.keySet().removeIf(id -> !known.test(id.equals(NO_ID) ? null : id));
            forgotten[0] = sessions.size() - kept.size();
            return kept.isEmpty() ? null : forgotten[0] == 0 ? sessions : Map.copyOf(kept);
        });
        return forgotten[0];
    }

    private static String key(String sessionId) {
        return sessionId == null ? NO_ID : sessionId;
    }
}
