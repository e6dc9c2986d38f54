package dev.switchboard.gateway.kafka;

import dev.switchboard.gateway.config.GatewayConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Positions the consumer of every session command ({@link PendingCommandsListener}). A partition it never read starts
 * at the commands sent within the results' replay window: at start-up, so a restarted instance knows the commands
 * still pending as it knows their results; and for a worker's topic found later (workers create theirs when they
 * start; the pattern subscription finds it within the metadata refresh), so the commands sent to it meanwhile are
 * read. A partition read before resumes where it stopped: the group commits nothing, and a new topic makes the group
 * assign every partition again.
 */
@ApplicationScoped
@Identifier(PendingCommandsStart.NAME)
public class PendingCommandsStart implements KafkaConsumerRebalanceListener {
    public static final String NAME = "context-gateway-pending-commands-start";
    private static final Logger LOG = Logger.getLogger(PendingCommandsStart.class);

    private final PendingCommandsProgress progress;
    private final Duration window;
    private final Clock clock;

    PendingCommandsStart(PendingCommandsProgress progress, GatewayConfig config, Clock clock) {
        this.progress = progress;
        this.window = config.results().replayWindow();
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> fresh = progress.assigned(consumer, partitions);
        progress.startWithin(consumer, fresh, window, clock);
        LOG.debugf("reading the session commands of %s from within the last %s", fresh, window);
    }
}
