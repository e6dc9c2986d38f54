package dev.switchboard.gateway.live;

import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Predicate;

/**
 * The events of each room's latest session, in topic order, for {@code GET /v1/sessions/{room}/events} and the live
 * stream. Rebuilt at every start from the replayed topic, like the session registry; bounded per room (the first
 * events and the end matter most, and a call with hundreds of keypad entries keeps only its latest ones), and a room
 * leaves with its session when housekeeping forgets it.
 */
@Singleton
public class SessionTimeline {
    static final int MAX_PER_ROOM = 200;

    /** Immutable lists, replaced on every event: readers on other threads never see one half changed. */
    private final ConcurrentMap<String, List<TimelineEntry>> byRoom = new ConcurrentHashMap<>();

    /** Records the event; returns its entry (empty for what the timeline does not show, or an event seen before). */
    public Optional<TimelineEntry> apply(SessionEvent event) {
        Optional<TimelineEntry> entry = TimelineWording.of(event);
        if (entry.isEmpty()) {
            return entry;
        }
        TimelineEntry e = entry.get();
        boolean[] added = {false};
        byRoom.compute(event.getRoom(), (room, entries) -> {
            List<TimelineEntry> current = entries;
            // A new session of the room starts a new timeline: the old call's events are not this call's.
            if (current == null || event.getPayload() instanceof SessionStarted && !sameSession(current, e)) {
                current = List.of();
            }
            if (current.stream().anyMatch(known -> known.eventId().equals(e.eventId()))) {
                return current; // a redelivered event is shown once
            }
            List<TimelineEntry> next = new ArrayList<>(current);
            next.add(e);
            added[0] = true;
            return List.copyOf(next.subList(Math.max(0, next.size() - MAX_PER_ROOM), next.size()));
        });
        return added[0] ? entry : Optional.empty();
    }

    public List<TimelineEntry> entries(String room) {
        return byRoom.getOrDefault(room, List.of());
    }

    /** Forgets the rooms the registry no longer knows; returns how many. */
    public int retainRooms(Predicate<String> known) {
        int before = byRoom.size();
        byRoom.keySet().removeIf(known.negate());
        return before - byRoom.size();
    }

    private static boolean sameSession(List<TimelineEntry> entries, TimelineEntry entry) {
        return entries.isEmpty() || Objects.equals(entries.getLast().sessionId(), entry.sessionId());
    }
}
