package dev.switchboard.schemas.topics;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.CommandResult;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * The topic catalogue: every Kafka topic Switchboard uses, with its record type and settings.
 * Services read the names as configuration ({@link TopicConfigSource}), tests and the local stack create
 * the topics from here ({@link TopicProvisioner}), and deploy's Kubernetes manifests are checked against it.
 *
 * <p>Every record is keyed by the LiveKit room name, so one call's records stay in order on one partition.
 * Each consumed topic has a dead-letter twin ({@code <name>.dlq}) that receives poison records with the reason
 * in the headers.
 */
public enum Topic {
    SESSION_COMMANDS("session-commands", SessionCommand.class, Duration.ofDays(1)),
    COMMAND_RESULTS("command-results", CommandResult.class, Duration.ofDays(1)),
    CALL_CONTROL("call-control", CallControlRequest.class, Duration.ofDays(1)),
    SESSION_EVENTS("session-events", SessionEvent.class, Duration.ofDays(7)),
    TRANSCRIPTS("transcripts", TranscriptSegment.class, Duration.ofDays(7)),

    SESSION_COMMANDS_DLQ(SESSION_COMMANDS),
    COMMAND_RESULTS_DLQ(COMMAND_RESULTS),
    CALL_CONTROL_DLQ(CALL_CONTROL),
    SESSION_EVENTS_DLQ(SESSION_EVENTS),
    TRANSCRIPTS_DLQ(TRANSCRIPTS);

    public static final String PREFIX = "switchboard.";
    public static final String KEY = "the LiveKit room name";
    /** Partitions per topic; a room always maps to one of them. */
    public static final int DEFAULT_PARTITIONS = 6;

    private final String id;
    private final Class<? extends SpecificRecord> valueType;
    private final Duration retention;
    private final Topic deadLetterOf;

    Topic(String id, Class<? extends SpecificRecord> valueType, Duration retention) {
        this.id = id;
        this.valueType = valueType;
        this.retention = retention;
        this.deadLetterOf = null;
    }

    Topic(Topic source) {
        this.id = source.id + ".dlq";
        this.valueType = null;
        this.retention = Duration.ofDays(14); // long enough to notice, inspect and replay poison records
        this.deadLetterOf = source;
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

    public Duration retention() {
        return retention;
    }

    public boolean isDeadLetter() {
        return deadLetterOf != null;
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
        return Map.of(
                "cleanup.policy", "delete",
                "retention.ms", Long.toString(retention.toMillis()));
    }

    public static Optional<Topic> byName(String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName().equals(topicName)).findFirst();
    }
}
