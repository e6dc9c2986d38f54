package dev.switchboard.worker.kafka;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.kit.kafka.DeadLetters;
import dev.switchboard.kit.kafka.GrouplessConsumerSettings;
import dev.switchboard.kit.kafka.Poison;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.SessionRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The call controller's answers to the transfers this worker asks for. The controller carries a transfer out and
 * answers it on the results topic; when the target refused (busy, no answer) the caller is still on the line with
 * the agent, which must be told, or it would fall silent after its "connecting you now".
 *
 * <p>Why not a consumer of the whole results topic: every command applied anywhere has a result there, so a worker
 * reading them all would read each one once per worker, and the cost of a command would grow with the workers.
 * Instead each transfer gets a short-lived consumer, without a group, of the one partition its room's results are
 * written to (they are keyed by room, with Kafka's default partitioning), positioned at that partition's end
 * <em>before</em> the request is sent, so no answer can slip past it; it decodes only its room's records
 * (dead-lettering poison among them, as every reader of the topic does), and stops at the answer, at the request's
 * expiry (plus a grace for a late answer), or when the worker stops. Made when the worker starts, as every bean a call
 * uses is, not on the call's thread by its first transfer.
 */
@Startup
@ApplicationScoped
public class TransferAnswers {
    private static final Logger LOG = Logger.getLogger(TransferAnswers.class);
    /** How long after a request's expiry an answer is still waited for: the controller answers one it expired, too. */
    private static final Duration GRACE = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);
    /** Stands in the dead letters' consumer-group header: these consumers have no group. */
    private static final String READER = "agent-worker-transfer-answers";

    private final SessionRegistry sessions;
    private final DeadLetters deadLetters;
    private final String topic;
    private final Map<String, Object> kafkaConfig;
    private final ExecutorService watchers = WorkerThreads.perTask("transfer-answers");
    private final Set<KafkaConsumer<?, ?>> open = ConcurrentHashMap.newKeySet();
    /** One for every transfer: in the registry mode it keeps the writer schemas it fetched. */
    private final CommandResultDeserializer results = new CommandResultDeserializer();
    private volatile boolean stopping;

    TransferAnswers(SessionRegistry sessions, DeadLetters deadLetters, @ConfigProperty(name = "switchboard.topics.command-results") String topic,
                    @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.sessions = sessions;
        this.deadLetters = deadLetters;
        this.topic = topic;
        this.kafkaConfig = Map.copyOf(kafkaConfig);
        results.configure(this.kafkaConfig, false); // the registry settings, when the services use one
    }

    /**
     * Starts waiting for the answer to a transfer request; the stage completes once every answer written from now on
     * will be seen, so the request may be sent then (the session records the transfer as awaited before). The answer
     * goes to the room's session, if it still awaits it.
     */
    public CompletionStage<Void> expect(CallControlRequest request) {
        CompletableFuture<Void> positioned = new CompletableFuture<>();
        watchers.execute(() -> watch(request, positioned));
        return positioned;
    }

    private void watch(CallControlRequest request, CompletableFuture<Void> positioned) {
        String room = request.getRoom();
        Instant until = request.getExpiresAt().plus(GRACE);
        KafkaConsumer<String, byte[]> consumer;
        try {
            consumer = new KafkaConsumer<>(GrouplessConsumerSettings.of(kafkaConfig, READER), new StringDeserializer(), new ByteArrayDeserializer());
        } catch (RuntimeException e) {
            positioned.completeExceptionally(e);
            return;
        }
        open.add(consumer);
        try (consumer) {
            TopicPartition partition = partitionOf(consumer, room);
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition); // fixed now: the answer is written after this
            positioned.complete(null);
            while (!stopping && Instant.now().isBefore(until)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    if (room.equals(record.key()) && answers(request, decode(record))) {
                        return;
                    }
                }
                if (sessions.find(room).filter(AgentSession::awaitsTransfer).isEmpty()) {
                    return; // the call ended meanwhile: nobody is left to tell
                }
            }
            if (!stopping) {
                LOG.warnf("room %s: no answer to transfer %s from the call controller by %s", room, request.getCommandId(), until);
            }
        } catch (WakeupException e) {
            // the worker is stopping
        } catch (RuntimeException e) {
            if (!positioned.completeExceptionally(e)) {
                LOG.warnf("room %s: stopped waiting for the answer to transfer %s: %s", room, request.getCommandId(), e.toString());
            }
        } finally {
            open.remove(consumer);
        }
    }

    /** Hands the answer to the session; whether it was the answer to this request. */
    private boolean answers(CallControlRequest request, CommandResult result) {
        if (result == null || !request.getCommandId().equals(result.getCommandId())) {
            return false;
        }
        sessions.find(request.getRoom()).filter(AgentSession::awaitsTransfer).ifPresent(session -> session.transferAnswered(result));
        return true;
    }

    /** The result, or null for poison, which is dead-lettered (as every reader of the topic does, the gateway too). */
    private CommandResult decode(ConsumerRecord<String, byte[]> record) {
        Poison poison;
        if (record.value() == null) {
            poison = Poison.noValue(record.topic());
        } else {
            try {
                return results.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                poison = Poison.undecodable(e.getMessage(), e.getCause() == null ? null : e.getCause().toString());
            }
        }
        try {
            deadLetters.send(record, READER, poison).await().indefinitely(); // bounded by the dead letters' own timeout
        } catch (RuntimeException e) {
            LOG.warnf("room %s: could not dead-letter the command result at %s-%d@%d: %s", record.key(), record.topic(),
                    record.partition(), record.offset(), e.toString());
        }
        return null;
    }

    /** The partition Kafka's default partitioner gives a record keyed by the room: where the controller's answer lands. */
    private TopicPartition partitionOf(KafkaConsumer<String, byte[]> consumer, String room) {
        var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (partitions == null || partitions.isEmpty()) {
            throw new IllegalStateException("the topic " + topic + " has no partitions (does it exist?)");
        }
        int partition = Utils.toPositive(Utils.murmur2(room.getBytes(StandardCharsets.UTF_8))) % partitions.size();
        return new TopicPartition(topic, partition);
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        open.forEach(KafkaConsumer::wakeup);
        watchers.shutdown();
        try {
            watchers.awaitTermination(5, TimeUnit.SECONDS); // woken up, they are done within a poll
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        results.close();
    }
}
