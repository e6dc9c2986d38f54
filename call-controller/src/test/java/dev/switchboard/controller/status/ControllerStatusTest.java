package dev.switchboard.controller.status;

import dev.switchboard.controller.FakeLiveKitResource;
import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.schemas.serde.ControllerStatusDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With LiveKit's server API configured (the fake), the controller tells the gateways it can place and transfer calls,
 * again every interval, and says STOPPED when it shuts down cleanly, then deletes its record. A profile of its own: the shutdown ends its
 * reports, which no other test's application should miss.
 */
@QuarkusTest
@TestProfile(ControllerStatusTest.OwnApplication.class)
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControllerStatusTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static class OwnApplication implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.controller.status-interval", "300ms");
        }
    }

    @Inject
    ControllerStatusReporter reporter;

    @Test
    @Order(1)
    void aControllerWithLiveKitSaysItCanDialAndTransferEveryInterval() {
        String id = reporter.controllerId();
        try (var statuses = TopicProbe.fromNow(Topic.CONTROLLER_STATUS, new ControllerStatusDeserializer())) {
            ConsumerRecord<String, ControllerStatus> first = statuses.awaitRecord(r -> id.equals(r.key()), WAIT);
            ControllerStatus status = first.value();
            assertThat(status.getControllerId()).isEqualTo(id);
            assertThat(status.getState()).isEqualTo(ControllerState.RUNNING);
            assertThat(status.getCanDial()).isTrue();
            assertThat(status.getCanTransfer()).isTrue();
            assertThat(status.getDetail()).isNull();
            assertThat(status.getIntervalMs()).isEqualTo(300);
            assertThat(status.getSentAt()).isBetween(Instant.now().minusSeconds(10), Instant.now().plusSeconds(1));

            // Again an interval later, not only at start.
            ControllerStatus next = statuses.await(s -> s != null && id.equals(s.getControllerId()) && s.getSentAt().isAfter(status.getSentAt()), WAIT);
            assertThat(next.getState()).isEqualTo(ControllerState.RUNNING);
        }
    }

    @Test
    @Order(2)
    void aCleanShutdownIsTheLastStatusStopped() {
        String id = reporter.controllerId();
        try (var statuses = TopicProbe.fromNow(Topic.CONTROLLER_STATUS, new ControllerStatusDeserializer())) {
            reporter.stopped(new ShutdownEvent()); // what Quarkus does as it shuts down

            ControllerStatus stopped = statuses.await(s -> s != null && id.equals(s.getControllerId()) && s.getState() == ControllerState.STOPPED, WAIT);
            assertThat(stopped.getCanDial()).isTrue();
            // Then the record is deleted, so a controller id used once does not stay in the compacted topic.
            ConsumerRecord<String, ControllerStatus> tombstone = statuses.awaitRecord(r -> id.equals(r.key()) && r.value() == null, WAIT);
            // Nothing RUNNING after the goodbye (three intervals on), which would bring the controller back in the gateways' eyes.
            List<ControllerStatus> seen = statuses.drain(Duration.ofMillis(1_000));
            assertThat(seen.subList(seen.indexOf(stopped) + 1, seen.size()).stream().filter(s -> s != null && id.equals(s.getControllerId())))
                    .as("statuses after STOPPED").isEmpty();
            assertThat(tombstone.offset()).as("the tombstone follows the STOPPED status").isGreaterThan(
                    statuses.awaitRecord(r -> r.value() == stopped, WAIT).offset());
        }
    }
}
