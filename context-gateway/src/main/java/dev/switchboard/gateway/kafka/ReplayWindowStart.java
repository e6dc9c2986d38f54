package dev.switchboard.gateway.kafka;

import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Positions a per-instance consumer that commits nothing: a partition it never read starts at the records published
 * within a window before now (so a restarted instance knows what happened while it was down), a partition read before
 * resumes where it stopped. The positions are resolved here, before the consumer's readiness check can turn UP.
 */
abstract class ReplayWindowStart implements KafkaConsumerRebalanceListener {
    private static final Logger LOG = Logger.getLogger(ReplayWindowStart.class);

    private final ConsumerProgress progress;
    private final Duration window;
    private final Clock clock;
    private final String what;

    /** @param what what the consumer reads, for the log */
    ReplayWindowStart(ConsumerProgress progress, Duration window, Clock clock, String what) {
        this.progress = progress;
        this.window = window;
        this.clock = clock;
        this.what = what;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> fresh = progress.assigned(consumer, partitions);
        progress.startWithin(consumer, fresh, window, clock);
        LOG.debugf("reading %s of %s from within the last %s: %s", what, fresh, window, progress.describe());
    }
}
