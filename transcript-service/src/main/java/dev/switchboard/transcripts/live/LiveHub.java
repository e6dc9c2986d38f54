package dev.switchboard.transcripts.live;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.transcripts.config.TranscriptsConfig;
import dev.switchboard.transcripts.mapping.SegmentMapper;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SessionsDeleted;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Where live segments meet the streams that follow a session. Two paths feed it: the live tail ({@link LiveFeed},
 * a group-less consumer of the topics on this instance, within 50 ms of publication) and the ingestion
 * after each committed batch (a safety net for whatever the tail missed, e.g. while it reconnected).
 *
 * <p>The tail's records are kept, undecoded, per room for a short window, so a stream that starts while lines are
 * still on their way to the database replays them too (replay = stored rows + this window, then live). A record is
 * decoded and redacted only when its room has a subscriber (or when a stream starts), so the tail costs little for
 * the many calls nobody is watching.
 *
 * <p>Listeners are never called while a room's lock is held, so a listener may unsubscribe from any thread.
 */
@ApplicationScoped
public class LiveHub {
    private static final Logger LOG = Logger.getLogger(LiveHub.class);
    /** How long an ended session is remembered for streams that start just after its end. */
    private static final Duration ENDED_MEMORY = Duration.ofMinutes(2);
    private static final AvroCodec<TranscriptSegment> CODEC = AvroCodec.of(TranscriptSegment.class);

    /**
     * How long a deleted session is remembered after the last record of it went by: records of a call that goes on
     * after its deletion are dropped, not kept in the window, for as long as it keeps talking.
     */
    private static final Duration DELETED_MEMORY = Duration.ofMinutes(10);

    /** What a new subscriber starts from; {@code deleted}: the session is deleted, nothing was subscribed. */
    public record Subscription(List<SegmentRow> recent, EndNotice ended, boolean deleted) {
    }

    private record Raw(byte[] value, Instant seenAt) {
    }

    private record Ended(EndNotice notice, Instant seenAt) {
    }

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final Map<UUID, Ended> ended = new ConcurrentHashMap<>();
    /** Deleted sessions (by id, with when a record of them was last dropped) and the rooms they were deleted under. */
    private final Map<UUID, Instant> deleted = new ConcurrentHashMap<>();
    private final Map<String, Set<UUID>> deletedByRoom = new ConcurrentHashMap<>();
    /**
     * The latest start of each room, per tenant: a session another tenant starts under the same room name must not hide
     * a tenant's running one from its own streams.
     */
    private final Map<RoomOfTenant, LiveStart> latestStartByRoom = new ConcurrentHashMap<>();
    private final SegmentMapper mapper;
    private final TranscriptsConfig.Live config;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicInteger subscribers = new AtomicInteger();
    private final Counter skipped;

    LiveHub(SegmentMapper mapper, TranscriptsConfig config, Clock clock, MeterRegistry metrics) {
        this.mapper = mapper;
        this.config = config.live();
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("transcript-live-hub"));
        metrics.gauge("switchboard.transcripts.stream.subscribers", subscribers);
        this.skipped = LiveFeed.skipped(metrics, "segment");
        long heartbeat = Math.max(100, this.config.heartbeat().toMillis());
        timer.scheduleWithFixedDelay(this::maintain, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    /** A transcript record the live tail read (the encoded value, keyed by room). */
    public void segmentSeen(String room, byte[] value) {
        if (room == null || value == null) {
            skipped.increment();
            return;
        }
        if (isOfDeletedSession(room, value)) {
            return;
        }
        Room state = rooms.computeIfAbsent(room, r -> new Room());
        if (!state.remember(new Raw(value, clock.instant()))) {
            return; // nobody follows this room: stays undecoded unless a stream starts within the window
        }
        decode(value).ifPresent(row -> state.listeners(row.sessionId()).forEach(l -> l.onSegment(row)));
    }

    /**
     * A record of a session deleted while its call went on: not kept, and the session is remembered for as long as it
     * keeps talking. Only the records of a room with a deleted session are decoded for this.
     */
    private boolean isOfDeletedSession(String room, byte[] value) {
        Set<UUID> deletedHere = deletedByRoom.get(room);
        if (deletedHere == null) {
            return false;
        }
        Optional<UUID> deletedSession = decode(value).map(SegmentRow::sessionId).filter(deletedHere::contains);
        deletedSession.ifPresent(id -> deleted.computeIfPresent(id, (same, lastSeen) -> clock.instant()));
        return deletedSession.isPresent();
    }

    /** Segment versions committed to the database by this instance's ingestion. */
    public void stored(List<SegmentRow> rows) {
        if (subscribers.get() == 0) {
            return;
        }
        for (SegmentRow row : rows) {
            Room state = rooms.get(row.room());
            if (state != null && !deleted.containsKey(row.sessionId())) {
                state.listeners(row.sessionId()).forEach(l -> l.onSegment(row));
            }
        }
    }

    private record RoomOfTenant(String room, String tenant) {
    }

    public void started(UUID sessionId, String room, Instant at, String tenant) {
        if (deleted.containsKey(sessionId)) {
            return;
        }
        LiveStart start = new LiveStart(sessionId, room, at, tenant == null || tenant.isBlank() ? "default" : tenant);
        latestStartByRoom.merge(new RoomOfTenant(room, start.tenant()), start, (old, now) -> now.startedAt().isAfter(old.startedAt()) ? now : old);
    }

    /** The session is over and every segment published before its end has been passed on. */
    public void ended(String room, EndNotice notice) {
        if (deleted.containsKey(notice.sessionId()) || ended.putIfAbsent(notice.sessionId(), new Ended(notice, clock.instant())) != null) {
            return;
        }
        Room state = rooms.get(room);
        if (state != null) {
            state.listeners(notice.sessionId()).forEach(l -> l.onEnded(notice));
        }
    }

    /**
     * The ingestion stored a SessionEnded. The live tail normally ends the streams first (it knows when every
     * segment before the end has gone by); if it has not within the grace period, the streams end now.
     */
    public void endStored(String room, EndNotice notice) {
        Room state = rooms.get(room);
        if (state == null || state.listeners(notice.sessionId()).isEmpty() || ended.containsKey(notice.sessionId())) {
            return;
        }
        timer.schedule(() -> ended(room, notice), config.endGrace().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Follows a session: the lines of the window that are its own, and its end if already seen. A session this hub knows
     * to be deleted is not followed ({@code deleted}); one deleted later ends its listeners with {@code onDeleted}.
     */
    public Subscription subscribe(UUID sessionId, String room, LiveListener listener) {
        Room state = rooms.computeIfAbsent(room, r -> new Room());
        List<Raw> window;
        // Checked under the room's lock, which a deletion takes to remove the listeners: either this subscription is
        // refused, or the deletion finds it and ends it.
        synchronized (state) {
            if (deleted.containsKey(sessionId)) {
                return new Subscription(List.of(), null, true);
            }
            window = state.subscribe(sessionId, listener, clock.instant().minus(config.recentWindow()));
        }
        subscribers.incrementAndGet();
        List<SegmentRow> recent = new ArrayList<>();
        for (Raw raw : window) {
            decode(raw.value()).filter(row -> row.sessionId().equals(sessionId)).ifPresent(recent::add);
        }
        Ended end = ended.get(sessionId);
        return new Subscription(recent, end == null ? null : end.notice(), false);
    }

    public void unsubscribe(UUID sessionId, String room, LiveListener listener) {
        Room state = rooms.get(room);
        if (state != null && state.unsubscribe(sessionId, listener)) {
            subscribers.decrementAndGet();
        }
    }

    /**
     * Sessions were deleted, on this instance ({@link SessionsDeleted}) or another ({@link DeletionWatch}): their open
     * streams end, the window forgets their lines, their starts and ends are forgotten, and records of them that still
     * arrive (the call went on) are dropped. Ids already known are skipped, so telling it twice does nothing.
     */
    public void deleted(Collection<UUID> sessionIds, Collection<String> inRooms) {
        Instant now = clock.instant();
        Set<UUID> fresh = new HashSet<>();
        for (UUID id : sessionIds) {
            if (deleted.putIfAbsent(id, now) == null) {
                fresh.add(id);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        Set<String> roomNames = new HashSet<>(inRooms);
        latestStartByRoom.values().stream().filter(s -> fresh.contains(s.sessionId())).forEach(s -> roomNames.add(s.room()));
        latestStartByRoom.values().removeIf(start -> fresh.contains(start.sessionId()));
        ended.keySet().removeAll(fresh);
        for (String name : roomNames) {
            deletedByRoom.computeIfAbsent(name, r -> ConcurrentHashMap.newKeySet()).addAll(fresh);
            Room state = rooms.get(name);
            if (state == null) {
                continue;
            }
            Map<UUID, List<LiveListener>> ending = state.forget(raw -> decode(raw.value()).map(row -> fresh.contains(row.sessionId())).orElse(false), fresh);
            ending.forEach((id, listeners) -> listeners.forEach(l -> {
                subscribers.decrementAndGet();
                l.onDeleted(id);
            }));
        }
    }

    void deleted(@Observes SessionsDeleted event) {
        deleted(event.sessionIds(), event.rooms());
    }

    /** Whether the window still holds a line of the session (for tests: a deletion leaves none behind). */
    boolean holds(String room, UUID sessionId) {
        Room state = rooms.get(room);
        return state != null && state.window().stream()
                .anyMatch(raw -> decode(raw.value()).map(row -> row.sessionId().equals(sessionId)).orElse(false));
    }

    /** The most recent session of the room the live tail saw start, among the tenants the caller may see. */
    public Optional<LiveStart> latestStart(String room, Predicate<String> visibleTenant) {
        return latestStartByRoom.values().stream()
                .filter(start -> start.room().equals(room) && visibleTenant.test(start.tenant()))
                .max(Comparator.comparing(LiveStart::startedAt));
    }

    public Optional<LiveStart> start(UUID sessionId) {
        return latestStartByRoom.values().stream().filter(s -> s.sessionId().equals(sessionId)).findFirst();
    }

    private Optional<SegmentRow> decode(byte[] value) {
        try {
            return Optional.of(mapper.toRow(CODEC.decode(value)));
        } catch (RuntimeException e) {
            skipped.increment();
            return Optional.empty(); // poison or invalid: the ingestion dead-letters it, the live view skips it
        }
    }

    /** Heartbeats for the streams; forgets windows, ended sessions and starts nobody needs any more. */
    void maintain() {
        try {
            Instant now = clock.instant();
            Instant windowStart = now.minus(config.recentWindow());
            rooms.forEach((name, room) -> {
                room.heartbeat();
                if (room.forgetBefore(windowStart)) {
                    rooms.remove(name, room);
                }
            });
            Instant endedBefore = now.minus(ENDED_MEMORY);
            ended.values().removeIf(e -> e.seenAt().isBefore(endedBefore));
            latestStartByRoom.values().removeIf(s -> !rooms.containsKey(s.room()) && s.startedAt().isBefore(windowStart));
            Instant deletedBefore = now.minus(DELETED_MEMORY);
            if (deleted.values().removeIf(lastSeen -> lastSeen.isBefore(deletedBefore))) {
                deletedByRoom.values().forEach(ids -> ids.retainAll(deleted.keySet()));
                deletedByRoom.values().removeIf(Set::isEmpty);
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "live hub maintenance failed");
        }
    }

    /** One room: its recent undecoded records and the streams following its sessions. */
    private static final class Room {
        private final Deque<Raw> recent = new ArrayDeque<>();
        private final Map<UUID, List<LiveListener>> listeners = new HashMap<>();
        private int listenerCount;

        /** Keeps the record; true when someone follows a session of this room (then it must be decoded now). */
        synchronized boolean remember(Raw raw) {
            recent.addLast(raw);
            return listenerCount > 0;
        }

        synchronized List<LiveListener> listeners(UUID sessionId) {
            List<LiveListener> list = listeners.get(sessionId);
            return list == null ? List.of() : List.copyOf(list);
        }

        synchronized List<Raw> subscribe(UUID sessionId, LiveListener listener, Instant windowStart) {
            listeners.computeIfAbsent(sessionId, id -> new CopyOnWriteArrayList<>()).add(listener);
            listenerCount++;
            return recent.stream().filter(raw -> !raw.seenAt().isBefore(windowStart)).toList();
        }

        synchronized boolean unsubscribe(UUID sessionId, LiveListener listener) {
            List<LiveListener> list = listeners.get(sessionId);
            if (list == null || !list.remove(listener)) {
                return false;
            }
            if (list.isEmpty()) {
                listeners.remove(sessionId);
            }
            listenerCount--;
            return true;
        }

        void heartbeat() {
            List<LiveListener> all;
            synchronized (this) {
                all = listeners.values().stream().flatMap(List::stream).toList();
            }
            all.forEach(LiveListener::onHeartbeat);
        }

        /** Drops the records that match and takes the listeners of the sessions off: what they followed is gone. */
        synchronized Map<UUID, List<LiveListener>> forget(Predicate<Raw> gone, Set<UUID> sessionIds) {
            recent.removeIf(gone);
            Map<UUID, List<LiveListener>> removed = new HashMap<>();
            for (UUID id : sessionIds) {
                List<LiveListener> list = listeners.remove(id);
                if (list != null) {
                    listenerCount -= list.size();
                    removed.put(id, List.copyOf(list));
                }
            }
            return removed;
        }

        synchronized List<Raw> window() {
            return List.copyOf(recent);
        }

        /** Drops what left the window; true when the room holds nothing any more and can go. */
        synchronized boolean forgetBefore(Instant windowStart) {
            while (!recent.isEmpty() && recent.peekFirst().seenAt().isBefore(windowStart)) {
                recent.removeFirst();
            }
            return recent.isEmpty() && listenerCount == 0;
        }
    }
}
