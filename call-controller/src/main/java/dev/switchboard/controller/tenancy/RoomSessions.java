package dev.switchboard.controller.tenancy;

import dev.switchboard.events.WorkerHeartbeat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions every agent worker runs, as its latest heartbeat lists them. A worker's newer record replaces the older
 * one whole (the topic is compacted by worker id, so reading it from the beginning ends on each worker's latest state);
 * a worker that said goodbye (STOPPED), was declared lost (LOST) or whose record was deleted runs nothing. When each
 * worker's latest record was read is kept by this reader's clock (never the worker's), as the worker watch measures
 * silence.
 */
final class RoomSessions {
    /** A worker's sessions, and when its latest beat was read. */
    private record Reported(List<ReportedSession> sessions, Instant heardAt) {
    }

    private final Map<String, Reported> byWorker = new ConcurrentHashMap<>();
    private final Clock clock;

    RoomSessions(Clock clock) {
        this.clock = clock;
    }

    void heard(WorkerHeartbeat beat) {
        String workerId = beat.getWorkerId();
        switch (beat.getState()) {
            case STOPPED, LOST -> byWorker.remove(workerId);
            case RUNNING, DRAINING, UNKNOWN -> byWorker.put(workerId, new Reported(beat.getSessions().stream()
                    .map(s -> new ReportedSession(workerId, s.getRoom(), s.getSessionId(), s.getTenant(), s.getTransport()))
                    .toList(), clock.instant()));
        }
    }

    /** A deleted record (a tombstone under the worker's key). */
    void deleted(String workerId) {
        if (workerId != null) {
            byWorker.remove(workerId);
        }
    }

    /** The sessions reported in the room: usually none or one; two while one worker hands a room over to another. */
    List<ReportedSession> in(String room) {
        return byWorker.values().stream().flatMap(r -> r.sessions().stream()).filter(s -> s.room().equals(room)).toList();
    }

    /** The sessions of the workers still beating: their latest beat (RUNNING or DRAINING) was read within {@code window}. */
    List<ReportedSession> beatingWithin(Duration window) {
        Instant since = clock.instant().minus(window);
        return byWorker.values().stream().filter(r -> !r.heardAt().isBefore(since)).flatMap(r -> r.sessions().stream()).toList();
    }
}
