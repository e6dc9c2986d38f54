package dev.switchboard.worker.kafka;

import dev.switchboard.worker.session.CommandReach;
import dev.switchboard.worker.session.WorkerIdentity;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Says when this worker's command consumer has its partitions and knows where it reads from, and decides where a
 * partition without a committed position starts.
 *
 * <p>The worker's own topic is read from its beginning (the channel's {@code auto.offset.reset=earliest}): everything
 * in it was written for this worker, whose id is new at every start. That also covers a topic the worker had to create
 * again (see {@link CommandTopic}): the consumer's old position lies past the new topic's end, and is reset to its
 * beginning, so nothing written between the re-creation and the consumer finding it is lost.
 *
 * <p>The broadcast topic, which a worker reads only when configured to, carries every worker's commands since the
 * topic began: a partition of it without a committed position starts at its end. A worker's group is new at every
 * start, so a command published before that moment is never read: the worker therefore takes no call before it (it is
 * not ready, and it registers with LiveKit only then), and resolves its positions here, at the assignment, rather than
 * lazily at the first fetch, which would skip what came in between.
 */
@ApplicationScoped
@Identifier(CommandsPositioned.NAME)
@Readiness
public class CommandsPositioned implements CommandReach, KafkaConsumerRebalanceListener, HealthCheck {
    public static final String NAME = CommandReach.NAME;
    private static final Logger LOG = Logger.getLogger(CommandsPositioned.class);

    private final CompletableFuture<Void> positioned = new CompletableFuture<>();
    private final Optional<String> ownTopic;

    CommandsPositioned(WorkerIdentity worker) {
        this.ownTopic = worker.ownCommandTopic();
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        List<TopicPartition> broadcast = partitions.stream().filter(p -> !ownTopic.map(p.topic()::equals).orElse(false)).toList();
        if (!broadcast.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(Set.copyOf(broadcast));
            List<TopicPartition> fresh = broadcast.stream().filter(p -> committed.get(p) == null).toList();
            if (!fresh.isEmpty()) { // an empty list would mean every assigned partition to seekToEnd
                consumer.seekToEnd(fresh);
            }
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
    @Override
    public CompletableFuture<Void> positioned() {
        return positioned;
    }
}
