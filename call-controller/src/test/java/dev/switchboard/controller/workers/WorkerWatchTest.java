package dev.switchboard.controller.workers;

import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerState;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What a controller does with the heartbeat topic as it reads it, including after a restart (the topic replayed). */
class WorkerWatchTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private static final Instant T0 = Instant.parse("2026-12-03T12:00:00Z");

    private final WorkerWatch watch = new WorkerWatch();
    private final Heartbeats worker = new Heartbeats("watch", Transport.LIVEKIT, 2);

    @Test
    void aWorkerIsLostOnlyOnceItWasSilentForLongerThanTheWindow() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 2, T0);
        assertThat(watch.silentFor(WINDOW, T0.plus(WINDOW))).isEmpty();
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 2, T0.plusSeconds(3));
        assertThat(watch.silentFor(WINDOW, T0.plusSeconds(12))).isEmpty();

        var lost = watch.silentFor(WINDOW, T0.plusSeconds(14));
        assertThat(lost).singleElement().satisfies(w -> {
            assertThat(w.beat().getWorkerId()).isEqualTo(worker.workerId);
            assertThat(w.silentFor(T0.plusSeconds(14))).isEqualTo(Duration.ofSeconds(11));
        });
        watch.settled(lost.getFirst());
        assertThat(watch.silentFor(WINDOW, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aReplayedTopicEndingInAVerdictOrAGoodbyeLeavesNothingToDo() {
        var other = new Heartbeats("watch", Transport.LIVEKIT, 1);
        // As a restarted controller reads the compacted topic: beats, then the verdict an earlier controller wrote.
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 1, T0);
        watch.heard(worker.beat(WorkerState.LOST, worker.sessions), 1, T0);
        watch.heard(other.beat(WorkerState.DRAINING, other.sessions), 4, T0);
        watch.heard(other.beat(WorkerState.STOPPED, List.of()), 4, T0);

        assertThat(watch.watched()).isZero();
        assertThat(watch.silentFor(WINDOW, T0.plusSeconds(60))).isEmpty();
    }

    @Test
    void aWorkerThatBeatsAgainWhileBeingDeclaredLostStaysWatched() {
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 0, T0);
        var lost = watch.silentFor(WINDOW, T0.plusSeconds(11)).getFirst();
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 0, T0.plusSeconds(11));
        watch.settled(lost);
        assertThat(watch.watched()).isOne();
    }

    @Test
    void workersOfRevokedPartitionsAreLeftToTheirNewController() {
        var other = new Heartbeats("watch", Transport.LIVEKIT, 1);
        watch.heard(worker.beat(WorkerState.RUNNING, worker.sessions), 1, T0);
        watch.heard(other.beat(WorkerState.RUNNING, other.sessions), 5, T0);
        watch.forget(List.of(1, 2));
        assertThat(watch.silentFor(WINDOW, T0.plusSeconds(60))).extracting(w -> w.beat().getWorkerId()).containsExactly(other.workerId);
    }
}
