package dev.switchboard.kit.kafka;

/**
 * The headers of a dead-letter record. The names are SmallRye's own dead-letter headers where it has one, so tools
 * that know those read ours; service, consumer group and kind are Switchboard's additions.
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
    /** undecodable, no-value, invalid or failed ({@link Poison.Kind#label()}). */
    public static final String KIND = "dead-letter-kind";
    /** Why, in a sentence. */
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String EXCEPTION_CLASS = "dead-letter-exception-class-name";

    private DeadLetterHeaders() {
    }
}
