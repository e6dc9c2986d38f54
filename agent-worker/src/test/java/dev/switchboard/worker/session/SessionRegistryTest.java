package dev.switchboard.worker.session;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.simulated.SimulatedTransport;
import dev.switchboard.worker.tools.EndCallTool;
import dev.switchboard.worker.tools.Toolbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Starting sessions: what their SessionStarted says of the call. */
class SessionRegistryTest {
    private final RecordingPublisher published = new RecordingPublisher();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final SessionRegistry registry = new SessionRegistry(new SilentLlm(), Toolbox.of(new EndCallTool()), published,
            new TestSessions.Settings(Duration.ofSeconds(30)), new WorkerIdentity("worker-1", "commands", "commands"),
            new SimpleMeterRegistry(), Clock.systemUTC(), timers, new Changes());

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private SessionStarted started(String room) {
        return published.events.stream().filter(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted)
                .map(e -> (SessionStarted) e.getPayload()).findFirst().orElseThrow();
    }

    @Test
    void aDialledCallsSessionNamesTheDialThatPlacedIt() throws Exception {
        registry.start(new SessionRegistry.StartRequest("room-out", null, new SimulatedTransport("sip_+15550113"), CallDirection.OUTBOUND,
                "+15557654321", "+15550113", Map.of(), "acme", null, "dial-42")).get(5, TimeUnit.SECONDS);

        SessionStarted started = started("room-out");
        assertThat(started.getDialCommandId()).isEqualTo("dial-42");
        assertThat(started.getDirection()).isEqualTo(CallDirection.OUTBOUND);
        assertThat(started.getTenant()).isEqualTo("acme");
    }

    @Test
    void aCallNobodyDialledNamesNoDial() throws Exception {
        registry.start(new SessionRegistry.StartRequest("room-in", null, new SimulatedTransport("caller"), CallDirection.INBOUND,
                "+15550100", null, Map.of())).get(5, TimeUnit.SECONDS);
        registry.start(new SessionRegistry.StartRequest("room-blank", null, new SimulatedTransport("caller"), CallDirection.OUTBOUND,
                null, "+15550113", Map.of(), null, null, " ")).get(5, TimeUnit.SECONDS);

        assertThat(started("room-in").getDialCommandId()).isNull();
        assertThat(started("room-blank").getDialCommandId()).as("a blank id is none").isNull();
    }

    @Test
    void aSessionWhoseStartKafkaDidNotAcknowledgeIsRefusedAndEndedSoItCannotStayLiveElsewhere() throws Exception {
        published.sessionStartedAck = CompletableFuture.failedFuture(
                new TimeoutException("Kafka did not acknowledge the session event within 10000 ms"));

        var start = registry.start(new SessionRegistry.StartRequest("room-down", null, new SimulatedTransport("caller"),
                CallDirection.INBOUND, null, null, Map.of()));

        assertThatThrownBy(() -> start.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);
        // The SessionStarted may still reach the broker later: a SessionEnded follows it, so no one keeps it live.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.runs("room-down") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(registry.runs("room-down")).as("the room is free once the session ended").isFalse();
        assertThat(published.order).containsSubsequence("event:SessionStarted", "event:SessionEnded");
        var ended = published.events.stream().filter(e -> e.getPayload() instanceof SessionEnded)
                .map(e -> (SessionEnded) e.getPayload()).findFirst().orElseThrow();
        assertThat(ended.getReason()).isEqualTo(EndReason.ERROR);
        assertThat(ended.getDetail()).contains("not acknowledged by Kafka");
    }

    private static final class SilentLlm implements LlmClient {
        @Override
        public LlmResponse complete(LlmRequest request, TextListener onText) {
            return new LlmResponse("", List.of(), 0, 0);
        }

        @Override
        public String describe() {
            return "test";
        }
    }

    /** The CDI event the registry fires when its sessions change (the heartbeat listens); recorded here. */
    private static final class Changes implements Event<SessionsChanged> {
        final List<SessionsChanged> fired = new CopyOnWriteArrayList<>();

        @Override
        public void fire(SessionsChanged event) {
            fired.add(event);
        }

        @Override
        public <U extends SessionsChanged> CompletionStage<U> fireAsync(U event) {
            fired.add(event);
            return CompletableFuture.completedFuture(event);
        }

        @Override
        public <U extends SessionsChanged> CompletionStage<U> fireAsync(U event, NotificationOptions options) {
            return fireAsync(event);
        }

        @Override
        public Event<SessionsChanged> select(Annotation... qualifiers) {
            return this;
        }

        @Override
        public <U extends SessionsChanged> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends SessionsChanged> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }
}
