package dev.switchboard.schemas;

import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.TopicConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

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

    @Test
    void theConfigSourceExposesEveryTopicName() {
        var source = new TopicConfigSource();
        for (Topic topic : Topic.values()) {
            assertThat(source.getValue(topic.configKey())).isEqualTo(topic.topicName());
        }
        assertThat(source.getValue("switchboard.topics.transcripts")).isEqualTo("switchboard.transcripts");
        assertThat(source.getPropertyNames()).hasSize(Topic.values().length);
    }
}
