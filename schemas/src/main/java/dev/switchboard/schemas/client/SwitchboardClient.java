package dev.switchboard.schemas.client;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A small client for other systems (a CRM, a supervisor console, a payment service) to steer live calls by
 * publishing Switchboard commands to Kafka.
 *
 * <pre>{@code
 * try (var client = SwitchboardClient.builder("kafka:9092").issuer(IssuerKind.SYSTEM, "crm").build()) {
 *     client.injectContext("call-42", ContextRole.SYSTEM, "The customer's order shipped today.", true).join();
 *     client.hangup("call-42", EndReason.SYSTEM_HANGUP, "fraud check failed").join();
 * }
 * }</pre>
 *
 * Records are keyed by room and sent with {@code acks=all} and idempotence, so a send that completes is durable
 * and a producer retry never duplicates it. The worker answers session commands on
 * {@code switchboard.command-results}, matched by {@code commandId}.
 */
public final class SwitchboardClient implements AutoCloseable {

    /** Where a command landed. */
    public record Published(String commandId, String topic, int partition, long offset) {
    }

    private final KafkaProducer<String, SpecificRecord> producer;
    private final Commands commands;

    private SwitchboardClient(KafkaProducer<String, SpecificRecord> producer, Commands commands) {
        this.producer = producer;
        this.commands = commands;
    }

    public static Builder builder(String bootstrapServers) {
        return new Builder(bootstrapServers);
    }

    /** The command factory this client uses, to build commands with every option. */
    public Commands commands() {
        return commands;
    }

    /**
     * Sends a command to the broadcast topic, for systems that know only the room: the context gateway forwards it to
     * the worker that runs the room.
     */
    public CompletableFuture<Published> send(SessionCommand command) {
        return send(Topic.SESSION_COMMANDS.topicName(), command.getRoom(), command.getCommandId(), command);
    }

    /**
     * Sends a command straight to the worker that runs its room, one hop shorter than {@link #send(SessionCommand)}:
     * {@code commandTopic} is the session's {@code SessionStarted.commandTopic} (a worker's own topic, see
     * {@link WorkerCommandTopics}); null (a worker that reads the broadcast topic) sends it to the broadcast topic.
     *
     * @throws IllegalArgumentException when {@code commandTopic} is not a worker's command topic
     */
    public CompletableFuture<Published> send(SessionCommand command, String commandTopic) {
        if (commandTopic == null) {
            return send(command);
        }
        if (!WorkerCommandTopics.isWorkerCommandTopic(commandTopic)) {
            throw new IllegalArgumentException("\"" + commandTopic + "\" is not a worker's command topic (SessionStarted.commandTopic"
                    + " names one, starting with " + WorkerCommandTopics.PREFIX + ")");
        }
        return send(commandTopic, command.getRoom(), command.getCommandId(), command);
    }

    public CompletableFuture<Published> send(CallControlRequest request) {
        return send(Topic.CALL_CONTROL.topicName(), request.getRoom(), request.getCommandId(), request);
    }

    public CompletableFuture<Published> injectContext(String room, ContextRole role, String text, boolean respond) {
        return send(commands.injectContext(room, role, text, respond));
    }

    public CompletableFuture<Published> say(String room, String text) {
        return send(commands.say(room, text));
    }

    /** The agent sends keypad tones (DTMF) to the phone caller, e.g. to walk an IVR menu. */
    public CompletableFuture<Published> sendDtmf(String room, String digits) {
        return send(commands.sendDtmf(room, digits));
    }

    public CompletableFuture<Published> interrupt(String room) {
        return send(commands.interrupt(room));
    }

    /** Ends the call through the agent: it says the goodbye, waits until it is played, then hangs up. */
    public CompletableFuture<Published> endSession(String room, String reason, String goodbye) {
        return send(commands.endSession(room, reason, goodbye));
    }

    /** Hangs up at once through the call controller, without a goodbye. */
    public CompletableFuture<Published> hangup(String room, EndReason reason, String detail) {
        return send(commands.hangup(room, reason, detail));
    }

    private CompletableFuture<Published> send(String topic, String room, String commandId, SpecificRecord value) {
        CompletableFuture<Published> result = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, room, value), (metadata, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(new Published(commandId, metadata.topic(), metadata.partition(), metadata.offset()));
            }
        });
        return result;
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    public static final class Builder {
        private final Map<String, Object> config = new HashMap<>();
        private Issuer issuer = new Issuer(IssuerKind.SYSTEM, "switchboard-client", null, null);
        private Duration ttl = Commands.DEFAULT_TTL;

        private Builder(String bootstrapServers) {
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(bootstrapServers));
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        }

        /** Who the commands come from; recorded with every command and in the transcript. */
        public Builder issuer(IssuerKind kind, String id) {
            this.issuer = new Issuer(kind, id, null, null);
            return this;
        }

        /** How long commands stay valid (default 30 s); expired commands are answered EXPIRED, not applied. */
        public Builder commandLifetime(Duration ttl) {
            this.ttl = ttl;
            return this;
        }

        /** Any other producer setting (security, client.id...). */
        public Builder producerConfig(String key, Object value) {
            config.put(key, value);
            return this;
        }

        public SwitchboardClient build() {
            return new SwitchboardClient(
                    new KafkaProducer<>(config, new StringSerializer(), new AvroSerializer<>()),
                    new Commands(issuer, ttl, java.time.Clock.systemUTC()));
        }
    }
}
