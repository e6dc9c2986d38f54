package dev.switchboard.schemas.topics;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.ControllerStatus;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.WorkerHeartbeat;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.switchboard.schemas.topics.Party.AGENT_WORKER;
import static dev.switchboard.schemas.topics.Party.CALL_CONTROLLER;
import static dev.switchboard.schemas.topics.Party.CONTEXT_GATEWAY;
import static dev.switchboard.schemas.topics.Party.INTEGRATIONS;
import static dev.switchboard.schemas.topics.Party.TRANSCRIPT_SERVICE;

/**
 * The topic catalogue: every Kafka topic Switchboard uses, with its record type, settings, and who writes and reads
 * it. Services read the names as configuration ({@link TopicConfigSource}), tests and the local stack create
 * the topics from here ({@link TopicProvisioner}), deploy's Kubernetes manifests are checked against it, and the
 * AsyncAPI document is generated from it.
 *
 * <p>Every record is keyed by the LiveKit room name, so one call's records stay in order on one partition; worker
 * heartbeats and controller statuses, which are about a process and not a call, are keyed by its id, and audit records
 * by room or, for an action on no room, by tenant ({@link #key()}).
 * Each consumed topic has a dead-letter twin ({@code <name>.dlq}) that receives poison records with the reason
 * in the headers ({@link DeadLetterHeaders}).
 */
public enum Topic {
    // Commands from systems that know only the room. The gateway forwards each to the own topic of the worker that runs
    // the room (WorkerCommandTopics), where the worker reads it; a worker configured to read this topic instead needs
    // Read on it, beyond what kafka-users.yaml grants. The gateway's watchdog answers the commands no worker answers.
    SESSION_COMMANDS("session-commands", SessionCommand.class, Duration.ofDays(1),
            List.of(CONTEXT_GATEWAY, INTEGRATIONS),
            List.of(CONTEXT_GATEWAY)),
    COMMAND_RESULTS("command-results", CommandResult.class, Duration.ofDays(1),
            // the call controller answers transfers; the gateway's watchdog the commands nobody answers
            List.of(AGENT_WORKER, CALL_CONTROLLER, CONTEXT_GATEWAY),
            // the worker reads the controller's answers to the transfers it asked for (a refused one leaves the caller with it):
            // only its room's partition, only while a transfer is under way (TransferAnswers)
            List.of(CONTEXT_GATEWAY, AGENT_WORKER, INTEGRATIONS)),
    CALL_CONTROL("call-control", CallControlRequest.class, Duration.ofDays(1),
            List.of(AGENT_WORKER, CONTEXT_GATEWAY, INTEGRATIONS),
            // every gateway instance reads the dials, so any of them answers for a ringing call, whoever placed it
            List.of(CALL_CONTROLLER, CONTEXT_GATEWAY)),
    SESSION_EVENTS("session-events", SessionEvent.class, Duration.ofDays(7),
            List.of(AGENT_WORKER, CALL_CONTROLLER),
            // the worker learns from CallEnded that the controller ended one of its calls
            List.of(AGENT_WORKER, CONTEXT_GATEWAY, TRANSCRIPT_SERVICE, INTEGRATIONS)),
    TRANSCRIPTS("transcripts", TranscriptSegment.class, Duration.ofDays(7),
            List.of(AGENT_WORKER),
            List.of(TRANSCRIPT_SERVICE, INTEGRATIONS)),
    // Keyed by worker id, compacted: the latest record of every worker is its state. The controller writes the verdict
    // LOST once it has ended a silent worker's sessions, so another controller taking the partition over does nothing twice.
    WORKER_HEARTBEATS("worker-heartbeats", WorkerHeartbeat.class, Duration.ofDays(1),
            List.of(AGENT_WORKER, CALL_CONTROLLER),
            // a worker reads the verdicts: one declared lost while alive ends the sessions the controller ended
            List.of(CALL_CONTROLLER, AGENT_WORKER, INTEGRATIONS)),
    // Who did what to which call: written where each action is carried out (the gateway's watchdog for the commands it
    // answers because no worker did), stored and served by the transcript service.
    AUDIT("audit", AuditRecord.class, Duration.ofDays(90),
            List.of(AGENT_WORKER, CALL_CONTROLLER, CONTEXT_GATEWAY, TRANSCRIPT_SERVICE),
            List.of(TRANSCRIPT_SERVICE, INTEGRATIONS)),
    // Keyed by controller id, compacted: what each call controller can do (place calls, transfer them), written at start,
    // every few seconds and STOPPED on a clean shutdown. Every gateway instance reads all of it (no group) and refuses a
    // dial or transfer at once when no controller that reported recently can carry it out.
    CONTROLLER_STATUS("controller-status", ControllerStatus.class, Duration.ofDays(1),
            List.of(CALL_CONTROLLER),
            List.of(CONTEXT_GATEWAY, INTEGRATIONS)),

    SESSION_COMMANDS_DLQ(SESSION_COMMANDS),
    COMMAND_RESULTS_DLQ(COMMAND_RESULTS),
    CALL_CONTROL_DLQ(CALL_CONTROL),
    SESSION_EVENTS_DLQ(SESSION_EVENTS),
    TRANSCRIPTS_DLQ(TRANSCRIPTS),
    WORKER_HEARTBEATS_DLQ(WORKER_HEARTBEATS),
    AUDIT_DLQ(AUDIT),
    CONTROLLER_STATUS_DLQ(CONTROLLER_STATUS);

    public static final String PREFIX = "switchboard.";
    public static final String KEY = "the LiveKit room name";
    /** The key of {@link #WORKER_HEARTBEATS}. */
    public static final String WORKER_KEY = "the agent worker's id";
    /** The key of {@link #CONTROLLER_STATUS}. */
    public static final String CONTROLLER_KEY = "the call controller's id";
    /** The key of {@link #AUDIT}. */
    public static final String AUDIT_KEY = "the LiveKit room name, or the tenant for an action on no room";
    /** Partitions per topic; a room always maps to one of them. */
    public static final int DEFAULT_PARTITIONS = 6;

    private final String id;
    private final Class<? extends SpecificRecord> valueType;
    private final Duration retention;
    private final Topic deadLetterOf;
    private final List<Party> producers;
    private final List<Party> consumers;

    Topic(String id, Class<? extends SpecificRecord> valueType, Duration retention, List<Party> producers, List<Party> consumers) {
        this.id = id;
        this.valueType = valueType;
        this.retention = retention;
        this.deadLetterOf = null;
        this.producers = producers;
        this.consumers = consumers;
    }

    Topic(Topic source) {
        this.id = source.id + ".dlq";
        this.valueType = null;
        this.retention = Duration.ofDays(14); // long enough to notice, inspect and replay poison records
        this.deadLetterOf = source;
        this.producers = null; // computed when asked (see producers()): a worker's topic counts, which is not a constant here
        this.consumers = List.of();
    }

    /** The short id used in configuration keys, e.g. {@code session-commands}. */
    public String id() {
        return id;
    }

    /** The topic name, e.g. {@code switchboard.session-commands}. */
    public String topicName() {
        return PREFIX + id;
    }

    /** The configuration key that holds this topic's name inside a service. */
    public String configKey() {
        return "switchboard.topics." + id;
    }

    /** The Avro record every value on this topic is; empty for dead-letter topics, which keep the original bytes. */
    public Optional<Class<? extends SpecificRecord>> valueType() {
        return Optional.ofNullable(valueType);
    }

    /**
     * What the records are keyed by: {@link #KEY}, {@link #WORKER_KEY} for worker heartbeats, {@link #CONTROLLER_KEY} for
     * controller statuses, {@link #AUDIT_KEY} for audit records (and their dead letters alike).
     */
    public String key() {
        Topic topic = deadLetterOf == null ? this : deadLetterOf;
        return switch (topic) {
            case WORKER_HEARTBEATS -> WORKER_KEY;
            case CONTROLLER_STATUS -> CONTROLLER_KEY;
            case AUDIT -> AUDIT_KEY;
            default -> KEY;
        };
    }

    /** Whether only the latest record of each key is kept (log compaction), rather than everything within the retention. */
    public boolean isCompacted() {
        return this == WORKER_HEARTBEATS || this == CONTROLLER_STATUS;
    }

    public Duration retention() {
        return retention;
    }

    public boolean isDeadLetter() {
        return deadLetterOf != null;
    }

    /** The topic whose poison records this dead-letter topic keeps; empty for a topic that is not a dead-letter one. */
    public Optional<Topic> deadLetterOf() {
        return Optional.ofNullable(deadLetterOf);
    }

    /**
     * Who writes records to this topic. A dead-letter topic: every service that consumes its source dead-letters what it
     * cannot process (people read it, no service does); the workers' own command topics dead-letter to
     * {@link #SESSION_COMMANDS_DLQ}, so their readers write that too.
     */
    public List<Party> producers() {
        if (deadLetterOf == null) {
            return producers;
        }
        Stream<Party> readers = deadLetterOf.consumers.stream();
        if (deadLetterOf == SESSION_COMMANDS) {
            readers = Stream.concat(readers, WorkerCommandTopics.CONSUMERS.stream());
        }
        return readers.filter(Party::isSwitchboardService).distinct().sorted().toList();
    }

    /** Who reads this topic (none for a dead-letter topic: it is there for people to inspect and replay). */
    public List<Party> consumers() {
        return consumers;
    }

    /** The dead-letter topic of this topic. */
    public Topic deadLetter() {
        if (isDeadLetter()) {
            throw new IllegalStateException(this + " is itself a dead-letter topic");
        }
        return valueOf(name() + "_DLQ");
    }

    public int partitions() {
        return isDeadLetter() ? 1 : DEFAULT_PARTITIONS;
    }

    /** The topic-level configuration it is created with. */
    public Map<String, String> configs() {
        if (isCompacted()) {
            // The latest record of each key stays (a running worker's last beat, a controller's last status, is seconds old); keys silent for longer
            // than the retention go. Segments roll hourly so that a consumer reading the topic from the beginning reads
            // about an hour of beats, not a week's worth waiting for the default segment to fill.
            return Map.of(
                    "cleanup.policy", "compact,delete",
                    "retention.ms", Long.toString(retention.toMillis()),
                    "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
                    "max.compaction.lag.ms", Long.toString(Duration.ofHours(1).toMillis()));
        }
        return Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retention.toMillis()));
    }

    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName().equals(topicName)).findFirst();
    }
}
