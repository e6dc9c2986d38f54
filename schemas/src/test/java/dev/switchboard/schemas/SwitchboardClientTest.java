package dev.switchboard.schemas;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.infra.EmbeddedKafka;
import dev.switchboard.schemas.client.SwitchboardClient;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.TopicProvisioner;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client against a real broker: topics from the catalogue, commands produced and consumed through Kafka. */
class SwitchboardClientTest {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startKafka() {
        kafka = new EmbeddedKafka(EmbeddedKafka.Settings.forTests()).start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            assertThat(TopicProvisioner.createMissing(admin, (short) 1)).hasSize(Topic.values().length);
            assertThat(TopicProvisioner.createMissing(admin, (short) 1)).as("provisioning again creates nothing").isEmpty();
        }
    }

    @AfterAll
    static void stopKafka() {
        kafka.close();
    }

    @Test
    void commandsArriveOnTheirTopicsKeyedByRoom() throws Exception {
        try (SwitchboardClient client = SwitchboardClient.builder(kafka.bootstrapServers()).issuer(IssuerKind.SYSTEM, "crm").build()) {
            var injected = client.injectContext("room-7", ContextRole.SYSTEM, "VIP customer", true).get();
            var said = client.say("room-7", "One moment").get();
            var tones = client.sendDtmf("room-7", "1#").get();
            var hungUp = client.hangup("room-7", EndReason.SYSTEM_HANGUP, "fraud check").get();

            assertThat(said.partition()).as("one room, one partition").isEqualTo(injected.partition());
            assertThat(hungUp.topic()).isEqualTo("switchboard.call-control");

            List<SessionCommand> commands = consume(Topic.SESSION_COMMANDS, new SessionCommandDeserializer(), 3);
            assertThat(commands).extracting(SessionCommand::getCommandId).containsExactly(injected.commandId(), said.commandId(), tones.commandId());
            assertThat(commands.getLast().getPayload()).isEqualTo(SendDtmf.newBuilder().setDigits("1#").build());
            SessionCommand first = commands.getFirst();
            assertThat(first.getRoom()).isEqualTo("room-7");
            assertThat(first.getIssuer().getId()).isEqualTo("crm");
            assertThat(first.getExpiresAt()).isAfter(first.getIssuedAt());
            assertThat(first.getPayload()).isInstanceOfSatisfying(InjectContext.class, p -> {
                assertThat(p.getText()).isEqualTo("VIP customer");
                assertThat(p.getRespond()).isTrue();
            });

            List<CallControlRequest> controls = consume(Topic.CALL_CONTROL, new CallControlRequestDeserializer(), 1);
            assertThat(controls.getFirst().getPayload()).isInstanceOfSatisfying(HangupRequested.class,
                    h -> assertThat(h.getReason()).isEqualTo(EndReason.SYSTEM_HANGUP));
        }
    }

    @Test
    void aCommandGoesStraightToTheTopicItsSessionAnnounced() throws Exception {
        String workerTopic = WorkerCommandTopics.of("client-test-worker");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()));
             SwitchboardClient client = SwitchboardClient.builder(kafka.bootstrapServers()).issuer(IssuerKind.SYSTEM, "crm").build()) {
            admin.createTopics(List.of(WorkerCommandTopics.newTopic(workerTopic))).all().get();
            SessionCommand say = client.commands().say("room-7", "Directed");
            var published = client.send(say, workerTopic).get();
            assertThat(published.topic()).isEqualTo(workerTopic);
            assertThat(consume(workerTopic, new SessionCommandDeserializer(), 1)).extracting(SessionCommand::getCommandId)
                    .containsExactly(say.getCommandId());

            assertThatThrownBy(() -> client.send(say, "switchboard.transcripts")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a worker's command topic");
        }
    }

    private static <T> List<T> consume(Topic topic, Deserializer<T> deserializer, int count) {
        return consume(topic.topicName(), deserializer, count);
    }

    private static <T> List<T> consume(String topic, Deserializer<T> deserializer, int count) {
        List<T> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers(),
                "group.id", "client-test-" + topic, "auto.offset.reset", "earliest"), new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (values.size() < count && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, T> record : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(record.key()).isEqualTo("room-7");
                    values.add(record.value());
                }
            }
        }
        return values;
    }

    @Test
    void theCatalogueCreatedEveryTopicWithItsSettings() throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            var names = Arrays.stream(Topic.values()).map(Topic::topicName).toList();
            var descriptions = admin.describeTopics(names).allTopicNames().get();
            assertThat(descriptions.get("switchboard.transcripts").partitions()).hasSize(Topic.DEFAULT_PARTITIONS);
            assertThat(descriptions.get("switchboard.transcripts.dlq").partitions()).hasSize(1);
        }
    }
}
