package dev.switchboard.gateway.kafka;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConsumerProgressTest {
    private static final TopicPartition P0 = new TopicPartition("switchboard.session-events", 0);
    private static final TopicPartition P1 = new TopicPartition("switchboard.session-events", 1);

    @Test
    void caughtUpOnlyOnceEveryRecordThatExistedAtStartUpWasHandled() {
        ConsumerProgress progress = new ConsumerProgress();
        assertThat(progress.caughtUp()).as("nothing assigned yet").isFalse();

        progress.startedWith(Map.of(P0, 3L, P1, 0L));
        progress.startsAt(P0, 0);
        progress.startsAt(P1, 0);
        assertThat(progress.caughtUp()).isFalse();
        progress.handled(P0, 0);
        progress.handled(P0, 1);
        assertThat(progress.caughtUp()).isFalse();
        assertThat(progress.describe()).containsEntry(P0.toString(), "2/3").containsEntry(P1.toString(), "0/0");

        progress.handled(P0, 2);
        assertThat(progress.caughtUp()).isTrue();
        progress.startedWith(Map.of(P0, 100L)); // only the end offsets at start-up count
        assertThat(progress.caughtUp()).as("latched").isTrue();
    }

    @Test
    void aPartitionWhoseRecordsWereDeletedCountsFromItsFirstOffset() {
        ConsumerProgress progress = new ConsumerProgress();
        progress.startedWith(Map.of(P0, 50L));
        progress.startsAt(P0, 50); // retention removed offsets 0..49
        assertThat(progress.caughtUp()).isTrue();
    }

    @Test
    void recordsBeforeTheStartAreHistory() {
        ConsumerProgress progress = new ConsumerProgress();
        progress.startedWith(Map.of(P0, 10L));
        assertThat(progress.isHistory(P0, 9)).isTrue();
        assertThat(progress.isHistory(P0, 10)).isFalse();
        assertThat(progress.isHistory(P1, 0)).as("unknown partition").isFalse();
    }
}
