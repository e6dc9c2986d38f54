package dev.switchboard.controller.workers;

import dev.switchboard.events.WorkerHeartbeat;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent workers this controller watches (those on the heartbeat partitions assigned to it) and when it last heard
 * each. Silence is measured with this controller's clock from when a beat arrived, never with the worker's: clocks
 * of two machines disagree, and a beat replayed after a restart counts from the restart (a controller that restarts
 * declares a dead worker lost one window later, never a live one early).
 */
@ApplicationScoped
public class WorkerWatch {

    /** A worker's latest beat, when it arrived, and on which partition (dropped when the partition goes elsewhere). */
    public record Watched(WorkerHeartbeat beat, Instant heardAt, int partition) {
        public Duration silentFor(Instant now) {
            return Duration.between(heardAt, now);
        }

        /** Silence that counts: only since {@code listening}, when this controller last started hearing the topic. */
        public Duration silentFor(Instant now, Instant listening) {
            return Duration.between(heardAt.isAfter(listening) ? heardAt : listening, now);
        }
    }

    private final Map<String, Watched> workers = new ConcurrentHashMap<>();
    /** Per partition, the offset after the last record handled: how far this controller has read. */
    private final Map<Integer, Long> read = new ConcurrentHashMap<>();

    /**
     * A record of the heartbeat topic: a running or draining worker is watched from now on; a worker that said
     * goodbye (STOPPED) or was already declared lost (LOST, written by a controller) is not watched any more.
     */
    public void heard(WorkerHeartbeat beat, int partition, long offset, Instant at) {
        read.merge(partition, offset + 1, Math::max);
        switch (beat.getState()) {
            case STOPPED, LOST -> workers.remove(beat.getWorkerId());
            case RUNNING, DRAINING, UNKNOWN -> workers.put(beat.getWorkerId(), new Watched(beat, at, partition));
        }
    }

    /**
     * The workers to declare lost: silent for longer than {@code window} while this controller was hearing the topic
     * (since {@code listening}), on a partition it has read to its end ({@code endOffsets}, from the broker). Oldest
     * silence first.
     */
    public List<Watched> lost(Duration window, Instant now, Instant listening, Map<Integer, Long> endOffsets) {
        return workers.values().stream()
                .filter(w -> w.silentFor(now, listening).compareTo(window) > 0)
                .filter(w -> read.getOrDefault(w.partition(), 0L) >= endOffsets.getOrDefault(w.partition(), Long.MAX_VALUE))
                .sorted(java.util.Comparator.comparing(Watched::heardAt))
                .toList();
    }

    /** The worker was declared lost; forgotten unless it beat again meanwhile. */
    public void settled(Watched lost) {
        workers.remove(lost.beat().getWorkerId(), lost);
    }

    /** These partitions were revoked: another controller watches their workers now. */
    public void forget(Collection<Integer> partitions) {
        workers.values().removeIf(w -> partitions.contains(w.partition()));
        read.keySet().removeAll(partitions);
    }

    public int watched() {
        return workers.size();
    }
}
