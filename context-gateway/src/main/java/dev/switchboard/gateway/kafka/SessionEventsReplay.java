package dev.switchboard.gateway.kafka;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;

/**
 * The registry lives in memory, so every start reads {@code switchboard.session-events} from the beginning, whatever
 * the group may have committed (it commits nothing, but a configured instance id could reuse an old group). Records
 * the end offsets at start-up, which readiness waits for.
 */
@ApplicationScoped
@Identifier(SessionEventsReplay.NAME)
public class SessionEventsReplay implements KafkaConsumerRebalanceListener {
    public static final String NAME = "context-gateway-session-events-replay";
    private static final Logger LOG = Logger.getLogger(SessionEventsReplay.class);

    private final SessionEventsProgress progress;

    SessionEventsReplay(SessionEventsProgress progress) {
        this.progress = progress;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> fresh = progress.assigned(consumer, partitions);
        consumer.seekToBeginning(fresh);
        consumer.beginningOffsets(fresh).forEach(progress::startsAt);
        LOG.infof("reading session events from the beginning of %s; ready once read up to (position/end at start-up) %s",
                fresh, progress.describe());
    }
}
