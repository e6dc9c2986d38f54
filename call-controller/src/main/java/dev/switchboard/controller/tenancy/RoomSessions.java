package dev.switchboard.controller.tenancy;

import dev.switchboard.events.WorkerHeartbeat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sessions every agent worker runs, as its latest heartbeat lists them. A worker's newer record replaces the older
 * one whole (the topic is compacted by worker id, so reading it from the beginning ends on each worker's latest state);
 * a worker that said goodbye (STOPPED), was declared lost (LOST) or whose record was deleted runs nothing.
 */
final class RoomSessions {
    private final Map<String, List<ReportedSession>> byWorker = new ConcurrentHashMap<>();

    void heard(WorkerHeartbeat beat) {
        String workerId = beat.getWorkerId();
        switch (beat.getState()) {
            case STOPPED, LOST -> byWorker.remove(workerId);
            case RUNNING, DRAINING, UNKNOWN -> byWorker.put(workerId, beat.getSessions().stream()
                    .map(s -> new ReportedSession(workerId, s.getRoom(), s.getSessionId(), s.getTenant(), s.getTransport()))
                    .toList());
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
        return byWorker.values().stream().flatMap(List::stream).filter(s -> s.room().equals(room)).toList();
    }
}
