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

/**
 * Positions the results consumer: a little before "now" (the replay window) on the first assignment, so a restarted
 * gateway knows the results of commands answered while it was down; where it stopped on a re-assignment. The position
 * is resolved here, before readiness turns UP, so no result published after that can be missed by a waiter.
 */
@ApplicationScoped
@Identifier(CommandResultsStart.NAME)
public class CommandResultsStart implements KafkaConsumerRebalanceListener {
    public static final String NAME = "context-gateway-command-results-start";
    private static final Logger LOG = Logger.getLogger(CommandResultsStart.class);

    private final CommandResultsProgress progress;
    private final Duration replayWindow;
    private final Clock clock;

    CommandResultsStart(CommandResultsProgress progress, GatewayConfig config, Clock clock) {
        this.progress = progress;
        this.replayWindow = config.results().replayWindow();
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        progress.startWithin(consumer, progress.assigned(consumer, partitions), replayWindow, clock);
        LOG.infof("reading command results from %s (replay window %s)", progress.describe(), replayWindow);
    }
}
