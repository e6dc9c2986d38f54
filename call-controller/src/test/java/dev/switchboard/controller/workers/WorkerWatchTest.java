package dev.switchboard.controller.workers;

import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a controller does with the heartbeat topic as it reads it, including after a restart (the topic replayed). */
class WorkerWatchTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private final WorkerWatch watch = new WorkerWatch();
    private final Heartbeats worker = new Heartbeats("watch", Transport.LIVEKIT, 2);

    /** The end offsets the broker reports when this controller has read everything it was given. */
    private static Map<Integer, Long> readTo(int partition, long end) {
        return Map.of(partition, end);
    }

    @Test
    void aWorkerIsLostOnlyOnceItWasSilentForLongerThanTheWindow() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 2, 0, T0);
        assertThat(watch.lost(WINDOW, T0.plus(WINDOW), T0, readTo(2, 1))).isEmpty();
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 2, 1, T0.plusSeconds(3));
        assertThat(watch.lost(WINDOW, T0.plusSeconds(12), T0, readTo(2, 2))).isEmpty();

        var lost = watch.lost(WINDOW, T0.plusSeconds(14), T0, readTo(2, 2));
        assertThat(lost).singleElement().satisfies(w -> {
            assertThat(w.beat().getWorkerId()).isEqualTo(worker.workerId);
            assertThat(w.silentFor(T0.plusSeconds(14), T0)).isEqualTo(Duration.ofSeconds(11));
        });
        watch.settled(lost.getFirst());
        assertThat(watch.lost(WINDOW, T0.plusSeconds(60), T0, readTo(2, 2))).isEmpty();
    }

    @Test
    void silenceWhileTheControllerCouldNotHearCountsForNothing() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 2, 0, T0);
        // The broker was away from T0+2 s to T0+20 s; the controller hears again from T0+20 s.
        Instant listening = T0.plusSeconds(20);
        assertThat(watch.lost(WINDOW, T0.plusSeconds(29), listening, readTo(2, 1))).isEmpty();
        assertThat(watch.lost(WINDOW, T0.plusSeconds(31), listening, readTo(2, 1))).hasSize(1);
    }

    @Test
    void aWorkerOnAPartitionNotReadToItsEndIsNotLost() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 3, 7, T0);
        // The broker holds records this controller has not read yet (it lags): maybe the worker's next beats.
        assertThat(watch.lost(WINDOW, T0.plusSeconds(30), T0, readTo(3, 9))).isEmpty();
        assertThat(watch.lost(WINDOW, T0.plusSeconds(30), T0, Map.of())).isEmpty();
        assertThat(watch.lost(WINDOW, T0.plusSeconds(30), T0, readTo(3, 8))).hasSize(1);
    }

    @Test
    void aReplayedTopicEndingInAVerdictOrAGoodbyeLeavesNothingToDo() {
        var other = new Heartbeats("watch", Transport.LIVEKIT, 1);
        // As a restarted controller reads the compacted topic: beats, then the verdict an earlier controller wrote.
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 1, 0, T0);
        watch.heard(worker.beat(WorkerState.LOST, worker.sessions), 1, 1, T0);
        watch.heard(other.beat(WorkerState.DRAINING, other.sessions), 4, 0, T0);
        watch.heard(other.beat(WorkerState.STOPPED, List.of()), 4, 1, T0);

        assertThat(watch.watched()).isZero();
        assertThat(watch.lost(WINDOW, T0.plusSeconds(60), T0, Map.of(1, 2L, 4, 2L))).isEmpty();
    }

    @Test
    void aWorkerThatBeatsAgainWhileBeingDeclaredLostStaysWatched() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 0, 0, T0);
        var lost = watch.lost(WINDOW, T0.plusSeconds(11), T0, readTo(0, 1)).getFirst();
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 0, 1, T0.plusSeconds(11));
        watch.settled(lost);
        assertThat(watch.watched()).isOne();
    }

    @Test
    void workersOfRevokedPartitionsAreLeftToTheirNewController() {
        var other = new Heartbeats("watch", Transport.LIVEKIT, 1);
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 1, 0, T0);
        watch.heard(other.beat(WorkerState.RUNNING, other.sessions), 5, 0, T0);
        watch.forget(List.of(1, 2));
        assertThat(watch.lost(WINDOW, T0.plusSeconds(60), T0, Map.of(1, 1L, 5, 1L)))
                .extracting(w -> w.beat().getWorkerId()).containsExactly(other.workerId);
    }
}
