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
    }

    private final Map<String, Watched> workers = new ConcurrentHashMap<>();

    /**
     * A record of the heartbeat topic: a running or draining worker is watched from now on; a worker that said
     * goodbye (STOPPED) or was already declared lost (LOST, written by a controller) is not watched any more.
     */
    public void heard(WorkerHeartbeat beat, int partition, Instant at) {
        switch (beat.getState()) {
            case STOPPED, LOST -> workers.remove(beat.getWorkerId());
            case RUNNING, DRAINING, UNKNOWN -> workers.put(beat.getWorkerId(), new Watched(beat, at, partition));
        }
    }

    /** The workers silent for longer than {@code window}, oldest silence first. */
    public List<Watched> silentFor(Duration window, Instant now) {
        return workers.values().stream()
                .filter(w -> w.silentFor(now).compareTo(window) > 0)
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
    }

    public int watched() {
        return workers.size();
    }
}
