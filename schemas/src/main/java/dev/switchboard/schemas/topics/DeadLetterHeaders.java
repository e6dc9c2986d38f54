package dev.switchboard.schemas.topics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The headers of a dead-letter record ({@code <topic>.dlq}), with what each holds: the one list the services write
 * (the service kit's {@code DeadLetters}) and the AsyncAPI document describes. The names are SmallRye's own dead-letter
 * headers where it has one, so tools that know those read ours; service, consumer group and kind are Switchboard's
 * additions.
 */
public final class DeadLetterHeaders {
    /** The service that dead-lettered it ({@code quarkus.application.name}, e.g. transcript-service). */
    public static final String SERVICE = "dead-letter-service";
    /** The consumer group that read it. */
    public static final String CONSUMER_GROUP = "dead-letter-consumer-group";
    /** Where it was: topic, partition and offset. */
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** undecodable, no-value, invalid or failed (the service kit's {@code Poison.Kind#label()}). */
    public static final String KIND = "dead-letter-kind";
    /** Why, in a sentence. */
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";
    /**
     * Written only by SmallRye's own dead-letter strategy, which no service uses any more: found only on dead letters an
     * earlier transcript service wrote for a batch that failed unexpectedly (it now writes such a batch again record
     * by record and dead-letters the culprits itself).
     */
    public static final String CAUSE_CLASS = "dead-letter-cause-class-name";

    /** Only on a copy that would not fit Kafka's limits: the original value's length; the copy holds its first bytes. */
    public static final String VALUE_TRUNCATED = "dead-letter-value-truncated";
    /** Only when the original headers were too large to copy: how many there were, and their size. */
    public static final String HEADERS_DROPPED = "dead-letter-headers-dropped";

    /** Every header, in the order the services write them, with what it holds. */
    public static final Map<String, String> ALL = all();
    /** The headers every dead letter carries, whoever wrote it. */
    public static final List<String> ALWAYS = List.of(TOPIC, PARTITION, OFFSET, REASON);

    private DeadLetterHeaders() {
    }

    private static Map<String, String> all() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SERVICE, "the service that dead-lettered it (transcript-service, context-gateway, agent-worker, call-controller):"
                + " fan-out topics are read by several services, and each copy says whose it is");
        headers.put(CONSUMER_GROUP, "the consumer group that read it: a copy per group that reads the topic (the gateway's and the"
                + " workers' groups are per instance, so a topic every gateway instance reads gets a copy from each instance's group as well"
                + " as one from each shared group, e.g. context-gateway-watchdog); agent-worker-transfer-answers for a result a worker"
                + " read while waiting for the answer to a transfer (that reader has no group)");
        headers.put(TOPIC, "the topic the record was read from");
        headers.put(PARTITION, "its partition, in decimal");
        headers.put(OFFSET, "its offset, in decimal");
        headers.put(KIND, "undecodable (not a record of the topic's type), no-value (a null value, a tombstone), invalid (decoded, but"
                + " cannot be used), failed (handling it failed unexpectedly)");
        headers.put(REASON, "why the record could not be processed, in a sentence");
        headers.put(CAUSE, "the underlying error, when there is one");
        headers.put(EXCEPTION_CLASS, "the class of the error, when there is one");
        headers.put(CAUSE_CLASS, "the class of the underlying error; only on a record dead-lettered by SmallRye's own strategy, which"
                + " no service uses any more (an earlier transcript service used it for a batch that failed unexpectedly): such a"
                + " record carries no service, consumer group or kind");
        headers.put(VALUE_TRUNCATED, "only on a record too large to be copied whole beside these headers (about 900 KiB or more): the"
                + " original value's length in bytes, in decimal; the dead letter holds its first bytes, and the original stays in"
                + " its topic at the offset named, for that topic's retention");
        headers.put(HEADERS_DROPPED, "only when the original headers were too large to copy (over 64 KiB): how many there were and"
                + " their size; the dead letter carries none of them");
        return Collections.unmodifiableMap(headers);
    }
}
