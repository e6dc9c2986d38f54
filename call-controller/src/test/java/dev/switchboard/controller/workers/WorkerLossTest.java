package dev.switchboard.controller.workers;

import dev.switchboard.controller.FakeLiveKitResource;
import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.events.WorkerSession;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.WorkerHeartbeatDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import livekit.LivekitModels.ParticipantInfo;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Worker loss on the real broker, with the default policy (orphaned rooms are left): a worker that stops beating has
 * its sessions ended as WORKER_LOST once it was silent for the window (3 s in tests), and only then; a worker that
 * says goodbye has none.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class WorkerLossTest {
    static final Duration LOST_AFTER = Duration.ofSeconds(3); // %test.switchboard.worker-loss.lost-after
    static final Duration CHECK_EVERY = Duration.ofMillis(200);

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    private TopicProbe<SessionEvent> events;
    private TopicProbe<WorkerHeartbeat> heartbeats;

    @BeforeEach
    void openProbes() {
        livekit.reset();
        events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        heartbeats = TopicProbe.fromNow(Topic.WORKER_HEARTBEATS, new WorkerHeartbeatDeserializer());
    }

    @AfterEach
    void closeProbes() {
        livekit.reset();
        events.close();
        heartbeats.close();
    }

    static boolean endedAsLost(ConsumerRecord<String, SessionEvent> record, Set<String> rooms) {
        return rooms.contains(record.key()) && record.value().getPayload() instanceof SessionEnded ended
                && ended.getReason() == EndReason.WORKER_LOST;
    }

    @Test
    void aSilentWorkersSessionsEndAsWorkerLostWithinTheWindowAndTheRoomsAreLeft() throws InterruptedException {
        var worker = new Heartbeats("lost", Transport.LIVEKIT, 3);
        Set<String> rooms = worker.sessions.stream().map(WorkerSession::getRoom).collect(Collectors.toSet());
        rooms.forEach(room -> livekit.room(room, FakeLiveKitServer.participant("caller", ParticipantInfo.Kind.SIP, Map.of())));

        // Beating for longer than the window: nothing is declared lost while the beats come.
        long silentFrom = worker.beatFor(LOST_AFTER.plusSeconds(1));
        assertThat(events.drain(Duration.ofMillis(200)).stream().filter(e -> rooms.contains(e.getRoom()))).isEmpty();

        List<ConsumerRecord<String, SessionEvent>> ended = new java.util.ArrayList<>();
        for (int i = 0; i < rooms.size(); i++) {
            ended.add(events.awaitRecord(r -> endedAsLost(r, rooms) && ended.stream().noneMatch(e -> e.key().equals(r.key())),
                    LOST_AFTER.plusSeconds(10)));
        }
        Duration tookAfterLastBeat = Duration.ofNanos(System.nanoTime() - silentFrom);
        System.out.printf("[worker-loss] sessions ended as WORKER_LOST %d ms after the last heartbeat (window %d ms)%n",
                tookAfterLastBeat.toMillis(), LOST_AFTER.toMillis());
        // Silence counts from when the controller heard the last beat, a little after it was sent.
        assertThat(tookAfterLastBeat).isGreaterThanOrEqualTo(LOST_AFTER)
                .isLessThan(LOST_AFTER.plus(CHECK_EVERY).plusSeconds(2));

        for (ConsumerRecord<String, SessionEvent> record : ended) {
            SessionEvent event = record.value();
            WorkerSession session = worker.sessions.stream().filter(s -> s.getRoom().equals(event.getRoom())).findFirst().orElseThrow();
            SessionEnded payload = (SessionEnded) event.getPayload();
            assertThat(event.getSessionId()).isEqualTo(session.getSessionId());
            assertThat(event.getSource()).isEqualTo("call-controller");
            assertThat(payload.getEndedBy().getKind()).isEqualTo(IssuerKind.POLICY);
            assertThat(payload.getDetail()).contains(worker.workerId).contains("silent for").contains("its last heartbeat was sent at ");
            assertThat(payload.getDurationMs()).isPositive();
        }
        // Exactly once: the verdict is on the heartbeat topic and nothing more is published for these sessions.
        WorkerHeartbeat verdict = heartbeats.await(b -> b.getWorkerId().equals(worker.workerId) && b.getState() == WorkerState.LOST,
                Duration.ofSeconds(5));
        assertThat(verdict.getSource()).isEqualTo("call-controller");
        assertThat(verdict.getSessions()).extracting(WorkerSession::getSessionId)
                .containsExactlyInAnyOrderElementsOf(worker.sessions.stream().map(WorkerSession::getSessionId).toList());
        assertThat(events.drain(LOST_AFTER.plusSeconds(1)).stream().filter(e -> rooms.contains(e.getRoom())).map(SessionEvent::getRoom))
                .as("one SessionEnded per session, nothing else").containsExactlyInAnyOrderElementsOf(rooms);
        // Policy "leave": LiveKit was not asked to do anything; the rooms are there for another agent.
        rooms.forEach(room -> {
            assertThat(livekit.requestsFor(room)).isEmpty();
            assertThat(livekit.hasRoom(room)).isTrue();
        });
    }

    @Test
    void aWorkerThatSaysGoodbyeIsNotLost() throws InterruptedException {
        var worker = new Heartbeats("graceful", Transport.LIVEKIT, 2);
        Set<String> rooms = worker.sessions.stream().map(WorkerSession::getRoom).collect(Collectors.toSet());

        worker.beatFor(Duration.ofSeconds(1));
        worker.send(WorkerState.DRAINING, worker.sessions);
        worker.send(WorkerState.STOPPED, List.of());

        assertThat(events.drain(LOST_AFTER.plusSeconds(2)).stream().filter(e -> rooms.contains(e.getRoom()))).isEmpty();
        assertThat(heartbeats.drain(Duration.ofMillis(200)).stream()
                .filter(b -> b.getWorkerId().equals(worker.workerId) && b.getState() == WorkerState.LOST)).isEmpty();
    }

    @Test
    void aDrainingWorkerThatKeepsBeatingIsNotLostButOneThatDiesWhileDrainingIs() throws InterruptedException {
        var worker = new Heartbeats("draining", Transport.SIMULATED, 1);
        String room = worker.sessions.getFirst().getRoom();

        long end = System.nanoTime() + LOST_AFTER.plusSeconds(1).toNanos();
        while (System.nanoTime() < end) {
            worker.send(WorkerState.DRAINING, worker.sessions);
            Thread.sleep(Heartbeats.INTERVAL);
        }
        assertThat(events.drain(Duration.ofMillis(200)).stream().filter(e -> room.equals(e.getRoom()))).isEmpty();

        events.awaitRecord(r -> endedAsLost(r, Set.of(room)), LOST_AFTER.plusSeconds(10));
    }
}
