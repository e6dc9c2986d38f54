package dev.switchboard.kit.kafka;

import java.util.Locale;

/**
 * Why a record goes to its topic's dead-letter twin.
 *
 * @param kind           what is wrong with it
 * @param reason         the sentence the dead-letter-reason header carries
 * @param cause          the underlying cause, when there is one
 * @param exceptionClass the exception that made the record poison
 */
public record Poison(Kind kind, String reason, String cause, String exceptionClass) {

    public enum Kind {
        /** The value's bytes are not a record of the topic's type. */
        UNDECODABLE,
        /** The record has no value at all (a tombstone): no Switchboard topic carries one. */
        NO_VALUE,
        /** It decoded, but cannot be used (an id that is not a UUID, no room, a value the database refuses). */
        INVALID,
        /** Handling it failed unexpectedly. */
        FAILED;

        /** As it appears in the dead-letter-kind header and the metrics' kind tag, e.g. {@code no-value}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** A value whose bytes are not a record of the topic's type. */
    public static Poison undecodable(String reason, String cause) {
        return new Poison(Kind.UNDECODABLE, reason == null ? "the value could not be decoded" : reason, cause,
                "org.apache.kafka.common.errors.SerializationException");
    }

    /** A record without a value. */
    public static Poison noValue(String topic) {
        return new Poison(Kind.NO_VALUE, "the record has no value (a tombstone); every record on " + topic
                + " carries one", null, null);
    }

    /** A record that decoded but cannot be used. */
    public static Poison invalid(Throwable error) {
        return of(Kind.INVALID, error);
    }

    /** A record whose handling failed unexpectedly. */
    public static Poison failed(Throwable error) {
        return of(Kind.FAILED, error);
    }

    private static Poison of(Kind kind, Throwable error) {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return new Poison(kind, reason, error.getCause() == null ? null : error.getCause().toString(), error.getClass().getName());
    }
}
