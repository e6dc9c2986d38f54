package dev.switchboard.controller.workers;

import dev.switchboard.controller.FakeLiveKitResource;
import dev.switchboard.events.Transport;
import dev.switchboard.events.WorkerState;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The own command topic of a worker that has gone (STOPPED, or LOST in a controller's verdict) is deleted once the grace
 * has passed (1 s in tests); a worker that beats again under the same id keeps it.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(FakeLiveKitResource.class)
class WorkerTopicRetirementTest {
    private static final Duration GRACE = Duration.ofSeconds(1); // %test.switchboard.worker-loss.command-topic-grace
    private Admin admin;

    @BeforeEach
    void connect() {
        admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()));
    }

    @AfterEach
    void disconnect() {
        admin.close();
    }

    @Test
    void theTopicOfAWorkerThatStoppedIsDeletedAfterTheGrace() throws Exception {
        var worker = new Heartbeats("stopped", Transport.SIMULATED, 0);
        String topic = createTopicOf(worker);
        worker.send(WorkerState.RUNNING, List.of());
        worker.send(WorkerState.STOPPED, List.of());
        long stopped = System.nanoTime();

        awaitGone(topic);
        assertThat(Duration.ofNanos(System.nanoTime() - stopped)).as("not before the grace").isGreaterThanOrEqualTo(GRACE);
    }

    @Test
    void theTopicOfAWorkerDeclaredLostIsDeleted() throws Exception {
        var worker = new Heartbeats("lost", Transport.SIMULATED, 0);
        String topic = createTopicOf(worker);
        worker.send(WorkerState.LOST, List.of()); // the verdict a controller writes

        awaitGone(topic);
    }

    @Test
    void aWorkerThatBeatsAgainUnderTheSameIdKeepsItsTopic() throws Exception {
        var worker = new Heartbeats("restarted", Transport.SIMULATED, 0);
        String topic = createTopicOf(worker);
        worker.send(WorkerState.STOPPED, List.of());
        worker.send(WorkerState.RUNNING, List.of()); // started again at once, under the same id

        Thread.sleep(GRACE.multipliedBy(4).toMillis());
        assertThat(topics()).contains(topic);
    }

    private String createTopicOf(Heartbeats worker) throws Exception {
        String topic = WorkerCommandTopics.of(worker.workerId);
        admin.createTopics(List.of(WorkerCommandTopics.newTopic(topic))).all().get(30, TimeUnit.SECONDS);
        return topic;
    }

    private void awaitGone(String topic) {
        Awaitility.await(topic + " is deleted").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> !topics().contains(topic));
    }

    private java.util.Set<String> topics() throws Exception {
        return admin.listTopics().names().get(30, TimeUnit.SECONDS);
    }
}
