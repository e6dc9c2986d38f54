package dev.switchboard.gateway.support;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.testing.TestProducer;
import dev.switchboard.testing.SharedInfrastructure;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Plays the agent worker against the real test broker: publishes SessionStarted / CallEnded / SessionEnded, reads its
 * commands from the end (no group, like TopicProbe) on its own thread and answers the commands of each room it runs as
 * told (apply, reject, say nothing, ...) with CommandResults published by {@link TestProducer}. Like the real worker it
 * reads a topic of its own, which it creates and announces in SessionStarted.commandTopic ({@link #start()}), or, like
 * a worker configured so, the broadcast topic ({@link #readingTheBroadcastTopic()}).
 */
public final class FakeWorker implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(15);

    private final String workerId = "fake-worker-" + UUID.randomUUID();
    private final KafkaConsumer<String, byte[]> commands;
    private final SessionCommandDeserializer decoder = new SessionCommandDeserializer();
    private final Map<String, Function<SessionCommand, Optional<CommandResult>>> answers = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, SessionCommand>> received = new CopyOnWriteArrayList<>();
    private final Thread loop;
    /** Its own command topic; null when it reads the broadcast topic. */
    private final String ownTopic;
    private volatile boolean running = true;

    private FakeWorker(boolean directed) {
        ownTopic = directed ? createOwnTopic(workerId) : null;
        commands = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = commands.partitionsFor(directed ? ownTopic : Topic.SESSION_COMMANDS.topicName()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        commands.assign(partitions);
        commands.seekToEnd(partitions);
        partitions.forEach(commands::position); // from now: resolve the end offsets before any test publishes
        loop = Thread.ofPlatform().name("fake-worker").daemon().start(this::run);
    }

    /** A worker with its own command topic, as the real one is by default. */
    public static FakeWorker start() {
        return new FakeWorker(true);
    }

    /** A worker that reads the broadcast topic and announces no topic of its own. */
    public static FakeWorker readingTheBroadcastTopic() {
        return new FakeWorker(false);
    }

    /** Its own command topic; null when it reads the broadcast topic. */
    public String ownTopic() {
        return ownTopic;
    }

    private static String createOwnTopic(String workerId) {
        String topic = WorkerCommandTopics.of(workerId);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", SharedInfrastructure.kafkaBootstrapServers()))) {
            admin.createTopics(List.of(WorkerCommandTopics.newTopic(topic))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create " + topic, e);
        }
        return topic;
    }

    public String workerId() {
        return workerId;
    }

    /**
     * Starts a simulated session in the room (SessionStarted); returns its session id. Its commands are applied unless
     * the test told otherwise before.
     */
    public String startSession(String room) {
        return startSession(room, "default");
    }

    /** Starts a session of the given tenant (SessionStarted.tenant). */
    public String startSession(String room, String tenant) {
        String sessionId = UUID.randomUUID().toString();
        answers.putIfAbsent(room, command -> Optional.of(result(command, CommandStatus.APPLIED, null)));
        TestProducer.send(Topic.SESSION_EVENTS, room, event(room, sessionId, SessionStarted.newBuilder()
                .setTransport(Transport.SIMULATED)
                .setDirection(CallDirection.INBOUND)
                .setAgentName("test-agent")
                .setWorkerId(workerId)
                .setCallerNumber("+15550100")
                .setCalleeNumber("+15550199")
                .setTenant(tenant)
                .setCommandTopic(ownTopic)
                .build()));
        return sessionId;
    }

    /** Starts a session whose commands nobody answers and waits until the gateway shows it LIVE; returns its session id. */
    public String startQuietSession(String room, String tenant) {
        stayQuiet(room);
        String sessionId = startSession(room, tenant);
        Api.awaitSession(room, sessionId, "LIVE");
        return sessionId;
    }

    /** From now on the room's commands are answered by this function (empty: no answer at all). */
    public void answer(String room, Function<SessionCommand, Optional<CommandResult>> answer) {
        answers.put(room, answer);
    }

    public void answerWith(String room, CommandStatus status, String reason) {
        answer(room, command -> Optional.of(result(command, status, reason)));
    }

    public void stayQuiet(String room) {
        answer(room, command -> Optional.empty());
    }

    /** Publishes a result for a command by hand (e.g. a late answer). */
    public void publishResult(SessionCommand command, CommandStatus status, String reason) {
        TestProducer.send(Topic.COMMAND_RESULTS, command.getRoom(), result(command, status, reason));
    }

    public void callEnded(String room, String sessionId, EndReason reason, String hangupCommandId) {
        TestProducer.send(Topic.SESSION_EVENTS, room, SessionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRoom(room)
                .setSessionId(sessionId)
                .setOccurredAt(now())
                .setSource("call-controller")
                .setPayload(CallEnded.newBuilder()
                        .setReason(reason)
                        .setEndedBy(Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("test").build())
                        .setHangupCommandId(hangupCommandId)
                        .setMethod(HangupMethod.NOT_NEEDED)
                        .build())
                .build());
    }

    public void endSession(String room, String sessionId, EndReason reason) {
        answers.remove(room);
        TestProducer.send(Topic.SESSION_EVENTS, room, event(room, sessionId, SessionEnded.newBuilder()
                .setReason(reason)
                .setDurationMs(1234)
                .setUsage(Usage.newBuilder().build())
                .build()));
    }

    /** The first command of the room that matches, waiting for it if needed. */
    public ConsumerRecord<String, SessionCommand> awaitCommand(String room, Predicate<SessionCommand> match) {
        return await(r -> room.equals(r.key()) && match.test(r.value()), "a matching command for room " + room);
    }

    /** The record of the command with this id, waiting for it if needed. */
    public ConsumerRecord<String, SessionCommand> awaitCommand(String commandId) {
        return await(r -> r.value().getCommandId().equals(commandId), "command " + commandId);
    }

    private ConsumerRecord<String, SessionCommand> await(Predicate<ConsumerRecord<String, SessionCommand>> match, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        do {
            Optional<ConsumerRecord<String, SessionCommand>> found = received.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no " + what + " was published within " + WAIT);
    }

    /** Every command of the room received so far. */
    public List<SessionCommand> received(String room) {
        return received.stream().filter(r -> room.equals(r.key())).map(ConsumerRecord::value).toList();
    }

    public CommandResult result(SessionCommand command, CommandStatus status, String reason) {
        return CommandResult.newBuilder()
                .setCommandId(command.getCommandId())
                .setRoom(command.getRoom())
                .setCommandType(command.getPayload().getClass().getSimpleName())
                .setStatus(status)
                .setReason(reason)
                .setDecidedAt(now())
                .setWorkerId(workerId)
                .build();
    }

    private void run() {
        try (commands) {
            runLoop();
        }
    }

    private void runLoop() {
        while (running) {
            try {
                commands.poll(Duration.ofMillis(100)).forEach(this::handle);
            } catch (RuntimeException e) {
                if (running) {
                    System.err.println("fake worker: " + e);
                }
            }
        }
    }

    private void handle(ConsumerRecord<String, byte[]> raw) {
        SessionCommand command;
        try {
            command = decoder.deserialize(raw.topic(), raw.value());
        } catch (RuntimeException poison) {
            return; // a poison record some test published on purpose: a worker skips it (and dead-letters it)
        }
        if (command == null) {
            return;
        }
        received.add(new ConsumerRecord<>(raw.topic(), raw.partition(), raw.offset(), raw.key(), command));
        var answer = answers.get(command.getRoom());
        if (answer != null) {
            answer.apply(command).ifPresent(result -> TestProducer.send(Topic.COMMAND_RESULTS, command.getRoom(), result));
        }
    }

    private static SessionEvent event(String room, String sessionId, Object payload) {
        return SessionEvent.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setRoom(room)
                .setSessionId(sessionId)
                .setOccurredAt(now())
                .setSource("agent-worker")
                .setPayload(payload)
                .build();
    }

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        running = false; // the loop closes the consumer, which belongs to its thread
        try {
            loop.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
