package dev.switchboard.schemas;

import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.schemas.topics.WorkerCommandTopics.Access;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The naming and the rights of the workers' own command topics. */
class WorkerCommandTopicsTest {

    @Test
    void aWorkersTopicIsNamedAfterItAndRecognisedByThePattern() {
        String topic = WorkerCommandTopics.of("agent-worker-7f3c.eu_1");
        assertThat(topic).isEqualTo("switchboard.session-commands.worker.agent-worker-7f3c.eu_1");
        assertThat(topic).matches(WorkerCommandTopics.PATTERN);
        assertThat(WorkerCommandTopics.isWorkerCommandTopic(topic)).isTrue();
        assertThat(WorkerCommandTopics.workerOf(topic)).contains("agent-worker-7f3c.eu_1");
    }

    @Test
    void otherTopicsAreNotWorkerTopics() {
        for (String other : new String[] {"switchboard.session-commands", "switchboard.session-commands.dlq",
                "switchboard.session-commands.worker.", "switchboard-session-commands-worker-x", "switchboard.session-commandsXworkerXx", null}) {
            assertThat(WorkerCommandTopics.isWorkerCommandTopic(other)).as(other).isFalse();
            if (other != null) {
                assertThat(other.matches(WorkerCommandTopics.PATTERN)).as(other).isFalse();
            }
        }
        assertThat(WorkerCommandTopics.workerOf("switchboard.transcripts")).isEmpty();
    }

    @Test
    void everyTopicACommandIsSentToMatchesOnePatternAndNoOtherTopic() {
        assertThat("switchboard.session-commands").matches(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN);
        assertThat(WorkerCommandTopics.of("agent-worker-7f3c.eu_1")).matches(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN);
        for (String other : new String[] {"switchboard.session-commands.dlq", "switchboard.session-commands.worker.",
                "switchboard-session-commands", "switchboard.command-results", "switchboard.session-commandsXworkerXx"}) {
            assertThat(other.matches(WorkerCommandTopics.EVERY_COMMAND_TOPIC_PATTERN)).as(other).isFalse();
        }
    }

    @Test
    void anIdThatCannotNameATopicIsRefusedWithTheRule() {
        assertThatThrownBy(() -> WorkerCommandTopics.of("pod/7")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("letters, digits, '.', '_' and '-'");
        assertThatThrownBy(() -> WorkerCommandTopics.of("x".repeat(240))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerCommandTopics.of("")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void poisonFromAWorkersTopicGoesToTheBroadcastTopicsTwin() {
        assertThat(WorkerCommandTopics.deadLetterTopicOf(WorkerCommandTopics.of("w1"))).isEqualTo("switchboard.session-commands.dlq");
        assertThat(WorkerCommandTopics.deadLetterTopicOf("switchboard.transcripts")).isEqualTo("switchboard.transcripts.dlq");
    }

    @Test
    void aTopicIsCreatedWithOnePartitionAndTheBroadcastTopicsRetention() {
        var created = WorkerCommandTopics.newTopic(WorkerCommandTopics.of("w2"));
        assertThat(created.numPartitions()).isEqualTo(1);
        assertThat(created.replicationFactor()).as("the broker's default").isEqualTo((short) -1);
        assertThat(created.configs()).containsEntry("retention.ms", Long.toString(WorkerCommandTopics.retention().toMillis()));
        assertThatThrownBy(() -> WorkerCommandTopics.newTopic("switchboard.transcripts")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachPartyMayDoExactlyWhatItsRoleNeeds() {
        assertThat(WorkerCommandTopics.accessOf(Party.AGENT_WORKER)).isEqualTo(Set.of(Access.CREATE, Access.READ, Access.DESCRIBE));
        assertThat(WorkerCommandTopics.accessOf(Party.CONTEXT_GATEWAY)).isEqualTo(Set.of(Access.WRITE, Access.READ, Access.DESCRIBE));
        assertThat(WorkerCommandTopics.accessOf(Party.CALL_CONTROLLER)).isEqualTo(Set.of(Access.DELETE, Access.DESCRIBE));
        assertThat(WorkerCommandTopics.accessOf(Party.INTEGRATIONS)).isEqualTo(Set.of(Access.WRITE, Access.DESCRIBE));
        assertThat(WorkerCommandTopics.accessOf(Party.TRANSCRIPT_SERVICE)).isEmpty();
    }
}
