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
 * Positions the consumer of the dials ({@link DialsListener}): on the first assignment, at the dials of the sessions'
 * retention, so that a restarted instance knows what every call it remembers asked for (a retry with a dial's
 * Idempotency-Key must ask for the same call, and the outcome events alone do not say what the dial asked for); where
 * it stopped on a re-assignment. Readiness waits until they are read.
 */
@ApplicationScoped
@Identifier(DialsStart.NAME)
public class DialsStart implements KafkaConsumerRebalanceListener {
    public static final String NAME = "context-gateway-dials-start";
    private static final Logger LOG = Logger.getLogger(DialsStart.class);

    private final DialsProgress progress;
    private final Duration window;
    private final Clock clock;

    DialsStart(DialsProgress progress, GatewayConfig config, Clock clock) {
        this.progress = progress;
        this.window = config.sessions().endedRetention();
        this.clock = clock;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        progress.startWithin(consumer, progress.assigned(consumer, partitions), window, clock);
        LOG.debugf("reading the dials from %s (the last %s)", progress.describe(), window);
    }
}
