package dev.switchboard.controller.workers;

import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.TestProducer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** A pretend agent worker: beats on the real heartbeat topic, as the agent worker does. */
final class Heartbeats {
    static final Duration INTERVAL = Duration.ofMillis(300);

    final String workerId = "test-worker-" + UUID.randomUUID();
    final List<WorkerSession> sessions;

    Heartbeats(String prefix, Transport transport, int sessionCount) {
        Instant started = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        this.sessions = java.util.stream.IntStream.range(0, sessionCount)
                .mapToObj(i -> WorkerSession.newBuilder()
                        .setRoom(prefix + "-" + UUID.randomUUID())
                        .setSessionId(UUID.randomUUID().toString())
                        .setTransport(transport)
                        .setStartedAt(started)
                        .setTenant("default")
                        .build())
                .toList();
    }

    WorkerHeartbeat beat(WorkerState state, List<WorkerSession> held) {
        return WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId)
                .setState(state)
                .setSentAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setSource("agent-worker")
                .setIntervalMs((int) INTERVAL.toMillis())
                .setAgentName("test-agent")
                .setSessions(held)
                .setDetail(null)
                .build();
    }

    void send(WorkerState state, List<WorkerSession> held) {
        TestProducer.send(Topic.WORKER_HEARTBEATS, workerId, beat(state, held));
    }

    /** Beats RUNNING every {@link #INTERVAL} on a thread of its own until closed: a worker that stays alive meanwhile. */
    AutoCloseable beatMeanwhile() {
        var beater = Executors.newSingleThreadScheduledExecutor();
        beater.scheduleAtFixedRate(() -> send(WorkerState.RUNNING, sessions), 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return () -> {
            beater.shutdown();
            if (!beater.awaitTermination(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the beats of " + workerId + " did not stop");
            }
        };
    }

    /** Beats RUNNING every {@link #INTERVAL} for {@code duration}; returns when the last beat was acknowledged (nanoTime). */
    long beatFor(Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        long last = System.nanoTime();
        while (true) {
            send(WorkerState.RUNNING, sessions);
            last = System.nanoTime();
            if (last + INTERVAL.toNanos() >= end) {
                return last;
            }
            Thread.sleep(INTERVAL);
        }
    }
}
