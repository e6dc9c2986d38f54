package dev.switchboard.worker.simulated;

import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmResource;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker whose command topic was deleted (the call controller does that a while after declaring it lost, and a
 * worker cut off from Kafka for that long comes back alive) creates it again and reads from it everything written
 * since, so a command sent the moment the topic is back still reaches the call.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
class CommandTopicRecreationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final Commands crm = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));

    @Test
    void aDeletedCommandTopicIsCreatedAgainAndNothingWrittenToItIsLost() throws Exception {
        String room = "room-" + UUID.randomUUID().toString().substring(0, 8);
        String topic = OwnCommandTopic.name();
        given().contentType(ContentType.JSON).body(Map.of("room", room, "instructions", "You are a test agent."))
                .post("/v1/simulated-calls").then().statusCode(201);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()));
             var results = TopicProbe.fromNow(Topic.COMMAND_RESULTS, new CommandResultDeserializer())) {
            // The worker has read a few commands from the old topic, so its position there is past the new topic's end.
            for (int i = 0; i < 3; i++) {
                SessionCommand earlier = crm.injectContext(room, ContextRole.SYSTEM, "earlier " + i, false);
                TestProducer.send(topic, room, earlier);
                assertThat(results.await(r -> r.getCommandId().equals(earlier.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
            }
            String before = topicId(admin, topic);
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);

            // Back under the same name (a new topic id): sent at once, before the worker's consumer can have found it.
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
                String now = topicIdOrNull(admin, topic);
                return now != null && !now.equals(before);
            });
            SessionCommand inject = crm.injectContext(room, ContextRole.SYSTEM, "sent as the topic came back", false);
            TestProducer.send(topic, room, inject);

            assertThat(results.await(r -> r.getCommandId().equals(inject.getCommandId()), WAIT).getStatus()).isEqualTo(CommandStatus.APPLIED);
            String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).containsPattern("(?m)^switchboard_worker_command_topic_recreated_total(\\{[^}]*})? [1-9]");
        }
    }

    private static String topicId(Admin admin, String topic) throws Exception {
        return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).topicId().toString();
    }

    private static String topicIdOrNull(Admin admin, String topic) throws Exception {
        try {
            return topicId(admin, topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw e;
        }
    }
}
