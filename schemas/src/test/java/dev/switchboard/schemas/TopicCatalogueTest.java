package dev.switchboard.schemas;

import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.TopicConfigSource;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class TopicCatalogueTest {

    @Test
    void everyTopLevelRecordHasItsTopicAndEveryTopicADeadLetterTwin() {
        var mainTopics = Arrays.stream(Topic.values()).filter(t -> !t.isDeadLetter()).toList();
        List<Object> valueTypes = mainTopics.stream().<Object>map(t -> t.valueType().orElseThrow()).toList();
        assertThat(valueTypes).containsExactlyInAnyOrderElementsOf(SchemaCatalog.TOP_LEVEL_RECORDS);
        for (Topic topic : mainTopics) {
            assertThat(topic.deadLetter().topicName()).isEqualTo(topic.topicName() + ".dlq");
            assertThat(topic.deadLetter().isDeadLetter()).isTrue();
        }
    }

    @Test
    void namesFollowDesignMd() {
        assertThat(Topic.SESSION_COMMANDS.topicName()).isEqualTo("switchboard.session-commands");
        assertThat(Topic.COMMAND_RESULTS.topicName()).isEqualTo("switchboard.command-results");
        assertThat(Topic.CALL_CONTROL.topicName()).isEqualTo("switchboard.call-control");
        assertThat(Topic.SESSION_EVENTS.topicName()).isEqualTo("switchboard.session-events");
        assertThat(Topic.TRANSCRIPTS.topicName()).isEqualTo("switchboard.transcripts");
        assertThat(Arrays.stream(Topic.values()).map(Topic::topicName).distinct()).hasSize(Topic.values().length);
    }

    /** How the services' configurations name the workers' own command topics. */
    private static final Set<String> WORKER_TOPIC_REFERENCES = Set.of("${switchboard.worker.command-topic}",
            "${" + WorkerCommandTopics.PATTERN_CONFIG_KEY + "}");
    private static final String WORKER_TOPICS = WorkerCommandTopics.PREFIX + "<workerId>";
    /**
     * Topics a service reads with a plain consumer instead of a channel, dead-lettering through DeadLetters alike: the
     * worker reads its room's partition of the results while a transfer it asked for awaits its answer (TransferAnswers);
     * every gateway instance reads all of the controllers' statuses, without a group (ControllerStatuses).
     */
    private static final Map<Party, Set<String>> PLAIN_CONSUMERS = Map.of(Party.AGENT_WORKER, Set.of(Topic.COMMAND_RESULTS.topicName()),
            Party.CONTEXT_GATEWAY, Set.of(Topic.CONTROLLER_STATUS.topicName()));

    @Test
    void theConfigSourceExposesEveryTopicName() {
        var source = new TopicConfigSource();
        for (Topic topic : Topic.values()) {
            assertThat(source.getValue(topic.configKey())).isEqualTo(topic.topicName());
        }
        assertThat(source.getValue("switchboard.topics.transcripts")).isEqualTo("switchboard.transcripts");
        assertThat(source.getValue(WorkerCommandTopics.PATTERN_CONFIG_KEY)).isEqualTo(WorkerCommandTopics.PATTERN);
        assertThat(source.getValue(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN_CONFIG_KEY))
                .isEqualTo(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN);
        assertThat(source.getPropertyNames()).as("every topic and the two patterns").hasSize(Topic.values().length + 2);
    }

    /**
     * Who produces and consumes each topic is stated once, in the catalogue (the AsyncAPI document and the README are
     * made from it); here it is held against the channels each service really configures.
     */
    @Test
    void producersAndConsumersAreTheChannelsTheServicesConfigure() throws IOException {
        Pattern channelTopic = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.topic");
        Path repository = Path.of("").toAbsolutePath().getParent(); // tests run in schemas/
        var topics = new TopicConfigSource();
        for (Party service : Arrays.stream(Party.values()).filter(Party::isSwitchboardService).toList()) {
            Properties config = new Properties();
            try (Reader in = Files.newBufferedReader(repository.resolve(service.id()).resolve("src/main/resources/application.properties"))) {
                config.load(in);
            }
            Set<String> reads = new TreeSet<>();
            Set<String> writes = new TreeSet<>();
            for (String key : config.stringPropertyNames()) {
                Matcher channel = channelTopic.matcher(key);
                if (!channel.matches()) {
                    continue;
                }
                String value = config.getProperty(key).strip();
                String topic = value.startsWith("${") ? topics.getValue(value.substring(2, value.length() - 1)) : value;
                if (WORKER_TOPIC_REFERENCES.contains(value)) {
                    // A worker's own topic (the worker's) or all of them (the gateway's pattern); poison goes to the broadcast twin.
                    reads.add(WORKER_TOPICS);
                    writes.add(Topic.SESSION_COMMANDS_DLQ.topicName());
                    continue;
                }
                if (value.equals("${" + WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN_CONFIG_KEY + "}")) {
                    // The broadcast topic and every worker's (the gateway's pattern); poison goes to the broadcast twin.
                    reads.addAll(Set.of(Topic.SESSION_COMMANDS.topicName(), WORKER_TOPICS));
                    writes.add(Topic.SESSION_COMMANDS_DLQ.topicName());
                    continue;
                }
                assertThat(topic).as("%s: %s names a topic of the catalogue", service.id(), key).isNotNull();
                if (channel.group(1).equals("outgoing")) {
                    writes.add(topic);
                } else {
                    reads.add(topic);
                    // Every consumer dead-letters what it cannot use through the service kit's DeadLetters.
                    writes.add(topic + ".dlq");
                }
            }
            for (String topic : PLAIN_CONSUMERS.getOrDefault(service, Set.of())) {
                reads.add(topic);
                writes.add(topic + ".dlq");
            }
            Set<String> expectedReads = topicsWhere(t -> t.consumers().contains(service));
            if (WorkerCommandTopics.CONSUMERS.contains(service)) {
                expectedReads.add(WORKER_TOPICS);
            }
            assertThat(reads).as(service.id() + " reads").isEqualTo(expectedReads);
            assertThat(writes).as(service.id() + " writes").isEqualTo(topicsWhere(t -> t.producers().contains(service)));
        }
    }

    @Test
    void deadLetterTopicsAreWrittenByTheConsumersOfTheirSourceAndReadByNoService() {
        for (Topic topic : Topic.values()) {
            if (topic.isDeadLetter()) {
                Topic source = topic.deadLetterOf().orElseThrow();
                var readers = new java.util.ArrayList<>(source.consumers());
                if (source == Topic.SESSION_COMMANDS) {
                    readers.addAll(WorkerCommandTopics.CONSUMERS); // the workers' own topics dead-letter there
                }
                assertThat(topic.producers()).containsExactlyInAnyOrderElementsOf(
                        readers.stream().filter(Party::isSwitchboardService).distinct().toList());
                assertThat(topic.consumers()).isEmpty();
            } else {
                assertThat(topic.producers()).as(topic + " producers").isNotEmpty();
                assertThat(topic.consumers()).as(topic + " consumers").isNotEmpty();
            }
        }
    }

    private static Set<String> topicsWhere(Predicate<Topic> condition) {
        return Arrays.stream(Topic.values()).filter(condition).map(Topic::topicName).collect(Collectors.toCollection(TreeSet::new));
    }
}
