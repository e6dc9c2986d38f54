package dev.switchboard.worker.kafka;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Says when this worker's command consumer has its partitions and knows where it reads from. A worker's group is new
 * at every start and begins at the end of the topic, so a command published before that moment is never read: the
 * worker therefore takes no call before it (it is not ready, and it registers with LiveKit only then), and resolves its
 * positions here, at the assignment, rather than lazily at the first fetch, which would skip what came in between.
 */
@ApplicationScoped
@Identifier(CommandsPositioned.NAME)
@Readiness
public class CommandsPositioned implements KafkaConsumerRebalanceListener, HealthCheck {
    public static final String NAME = "agent-worker-session-commands-positioned";
    private static final Logger LOG = Logger.getLogger(CommandsPositioned.class);

    private final CompletableFuture<Void> positioned = new CompletableFuture<>();

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        for (TopicPartition partition : partitions) {
            consumer.position(partition);
        }
        if (positioned.complete(null)) {
            LOG.infof("reading session commands from %d partition(s)", partitions.size());
        }
    }

    /** Not ready (nothing routed to the worker) until commands can reach its calls. */
    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("session commands").status(positioned.isDone()).build();
    }

    /** Completes once the command consumer has its partitions and its positions. */
    public CompletableFuture<Void> positioned() {
        return positioned;
    }
}
