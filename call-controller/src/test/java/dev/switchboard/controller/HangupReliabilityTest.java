package dev.switchboard.controller;

import dev.switchboard.controller.FakeLiveKitResource.InjectFakeLiveKit;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.livekit.ApiFault;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.FakeLiveKitServer.RecordedRequest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import livekit.LivekitModels.ParticipantInfo;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.switchboard.controller.CallControlRequests.hangup;
import static dev.switchboard.controller.CallControlRequests.request;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.DELETE_ROOM;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.LIST_PARTICIPANTS;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.REMOVE_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hang-ups while LiveKit's server API misbehaves (issue 12): every call of DeleteRoom, ListParticipants and
 * RemoveParticipant meets a fault with probability {@code -Dfault.rate} (default 0.5): HTTP 500/502/503, a timeout
 * with or without effect, or the room vanishing under the call. Some hang-ups are delivered twice, some rooms get a
 * second hang-up. Every call must end exactly once (one CallEnded, nothing dead-lettered), and LiveKit must see at
 * most one successful hang-up per call. Prints the figures. Run with
 * {@code mvn -pl call-controller -am verify -Preliability -Dtest=HangupReliabilityTest -Dcalls=300}.
 */
@Tag("reliability")
@QuarkusTest
@TestProfile(HangupReliabilityTest.FastTimeouts.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class HangupReliabilityTest {
    private static final String CALLER = "sip_+15550800";

    /** Short LiveKit timeouts so that a timeout fault costs little; a budget no fault streak exhausts. */
    public static class FastTimeouts implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "switchboard.livekit.request-timeout", "500ms",
                    "switchboard.hangup.retry.initial-delay", "20ms",
                    "switchboard.hangup.retry.max-delay", "200ms",
                    "switchboard.hangup.retry.budget", "20s");
        }
    }

    @InjectFakeLiveKit
    FakeLiveKitServer livekit;

    @Inject
    MeterRegistry metrics;

    private double retries() {
        return metrics.find("switchboard.controller.livekit.retries").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, List<SessionEvent>> callsEnded(List<SessionEvent> events, Set<String> rooms) {
        Map<String, List<SessionEvent>> ended = new HashMap<>();
        events.stream()
                .filter(e -> rooms.contains(e.getRoom()) && e.getPayload() instanceof CallEnded)
                .forEach(e -> ended.computeIfAbsent(e.getRoom(), r -> new ArrayList<>()).add(e));
        return ended;
    }

    /** All at once through one producer, as a busy worker fleet would send them. */
    private static void sendAll(List<CallControlRequest> requests) {
        try (var producer = new KafkaProducer<String, CallControlRequest>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new AvroSerializer<>())) {
            requests.forEach(request -> producer.send(new ProducerRecord<>(Topic.CALL_CONTROL.topicName(), request.getRoom(), request)));
            producer.flush();
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    /** A freshly started JVM is slow for its first LiveKit calls; they would count as timeouts nobody injected. */
    private void warmUp() {
        livekit.reset();
        List<CallControlRequest> requests = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String room = CallControlRequests.room("warm-up-" + i);
            livekit.room(room, FakeLiveKitServer.sipParticipant(CALLER, "+15550800"));
            requests.add(request(room, hangup(Transport.LIVEKIT).setScope(i % 2 == 0 ? HangupScope.DELETE_ROOM : HangupScope.REMOVE_SIP_PARTICIPANT).build()));
        }
        Set<String> rooms = requests.stream().map(CallControlRequest::getRoom).collect(Collectors.toSet());
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer())) {
            sendAll(requests);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (callsEnded(events.drain(Duration.ofMillis(200)), rooms).size() < rooms.size() && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
        }
    }

    @Test
    void everyCallEndsOnceWhateverLiveKitsApiDoes() {
        int calls = Integer.getInteger("calls", 200);
        double rate = Double.parseDouble(System.getProperty("fault.rate", "0.5"));
        warmUp();
        livekit.reset();
        ApiFault[] kinds = {new ApiFault.HttpError(500), new ApiFault.HttpError(502), new ApiFault.HttpError(503),
                new ApiFault.Timeout(Duration.ofSeconds(1), true), new ApiFault.Timeout(Duration.ofSeconds(1), false),
                new ApiFault.RoomVanished()};
        livekit.randomFaults(DELETE_ROOM, rate, 12, kinds)
                .randomFaults(LIST_PARTICIPANTS, rate, 13, kinds)
                .randomFaults(REMOVE_PARTICIPANT, rate, 14, kinds);

        List<String> rooms = new ArrayList<>();
        List<CallControlRequest> requests = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            String room = CallControlRequests.room("reliability-" + i);
            rooms.add(room);
            livekit.room(room, FakeLiveKitServer.participant("agent-" + i, ParticipantInfo.Kind.AGENT, Map.of()),
                    FakeLiveKitServer.sipParticipant(CALLER, "+15550800"));
            // Half the calls are ended by deleting the room, half by removing the phone leg (ListParticipants first).
            HangupRequested.Builder hangup = hangup(Transport.LIVEKIT)
                    .setScope(i % 2 == 0 ? HangupScope.DELETE_ROOM : HangupScope.REMOVE_SIP_PARTICIPANT);
            CallControlRequest request = request(room, hangup.build());
            requests.add(request);
            if (i % 10 == 3) {
                requests.add(request); // delivered twice
            }
            if (i % 10 == 7) {
                requests.add(request(room, hangup.setReason(EndReason.OPERATOR_HANGUP).build())); // a second hang-up, same session
            }
        }
        double retriesBefore = retries();

        long start = System.nanoTime();
        try (var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var deadLetters = TopicProbe.fromNow(Topic.CALL_CONTROL_DLQ, new ByteArrayDeserializer())) {
            sendAll(requests);
            Set<String> waiting = Set.copyOf(rooms);
            Map<String, List<SessionEvent>> ended = Map.of();
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            while (ended.size() < calls && System.nanoTime() < deadline) {
                ended = callsEnded(events.drain(Duration.ofMillis(200)), waiting);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            // Anything late (a second CallEnded, a dead letter) would show within this.
            ended = callsEnded(events.drain(Duration.ofSeconds(2)), waiting);
            long deadLettered = deadLetters.drain(Duration.ofMillis(500)).size();

            Map<String, List<RecordedRequest>> byRoom = livekit.requests().stream()
                    .filter(r -> waiting.contains(r.room())).collect(Collectors.groupingBy(RecordedRequest::room));
            IntSummaryStatistics perCall = rooms.stream().mapToInt(r -> byRoom.getOrDefault(r, List.of()).size()).summaryStatistics();
            IntSummaryStatistics successfulHangups = rooms.stream().mapToInt(r -> (int) byRoom.getOrDefault(r, List.of()).stream()
                    .filter(q -> q.status() == 200 && (q.method().equals(DELETE_ROOM) || q.method().equals(REMOVE_PARTICIPANT))).count())
                    .summaryStatistics();
            Map<String, List<SessionEvent>> endedCalls = ended;
            IntSummaryStatistics callEnded = rooms.stream().mapToInt(r -> endedCalls.getOrDefault(r, List.of()).size()).summaryStatistics();
            Map<String, Long> methods = ended.values().stream().flatMap(List::stream)
                    .collect(Collectors.groupingBy(e -> ((CallEnded) e.getPayload()).getMethod().name(), TreeMap::new, Collectors.counting()));
            // From the hang-up being issued to its CallEnded, per call.
            Map<String, Instant> issued = new HashMap<>();
            requests.forEach(request -> issued.putIfAbsent(request.getRoom(), request.getIssuedAt()));
            List<Long> latencies = ended.values().stream().map(List::getFirst)
                    .map(e -> Duration.between(issued.get(e.getRoom()), e.getOccurredAt()).toMillis()).sorted().toList();
            int faults = livekit.faultsInjected().values().stream().mapToInt(Integer::intValue).sum();

            System.out.printf("""
                    [reliability] hang-ups under LiveKit API faults (fault rate %.2f per API call)
                    [reliability]   calls: %d, hang-up requests sent: %d (duplicates and second hang-ups included)
                    [reliability]   faults injected: %d %s
                    [reliability]   LiveKit API calls: %d, retries: %.0f, calls per hang-up: mean %.2f, max %d
                    [reliability]   successful hang-ups LiveKit saw per call: min %d, max %d
                    [reliability]   CallEnded per call: min %d, max %d; by method %s
                    [reliability]   dead-lettered: %d; hang-up issued -> CallEnded: p50 %d ms, p99 %d ms, max %d ms; all ended %d ms after the first was sent
                    """, rate, calls, requests.size(), faults, livekit.faultsInjected(), byRoom.values().stream().mapToInt(List::size).sum(),
                    retries() - retriesBefore, perCall.getAverage(), perCall.getMax(), successfulHangups.getMin(), successfulHangups.getMax(),
                    callEnded.getMin(), callEnded.getMax(), methods, deadLettered, percentile(latencies, 0.5), percentile(latencies, 0.99),
                    percentile(latencies, 1.0), elapsed.toMillis());

            assertThat(faults).as("faults were injected").isGreaterThan(calls / 4);
            assertThat(callEnded.getMin()).as("every call ended").isEqualTo(1);
            assertThat(callEnded.getMax()).as("no call ended twice").isEqualTo(1);
            assertThat(successfulHangups.getMax()).as("LiveKit saw at most one successful hang-up per call").isLessThanOrEqualTo(1);
            assertThat(deadLettered).isZero();
            for (int i = 0; i < calls; i++) {
                String room = rooms.get(i);
                assertThat(livekit.participants(room)).as("no phone leg left up in %s", room).doesNotContain(CALLER);
            }
        }
    }
}
