package dev.switchboard.transcripts.api;

import dev.switchboard.events.CallFailureReason;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.store.SessionChange;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;

/** Parses query parameters into values, or a 400 problem that names the parameter and what it should look like. */
final class Params {
    static final int MAX_ROOM_LENGTH = 256;
    /** The instants a query may name: four-digit years, well inside what PostgreSQL's timestamptz can hold. */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Params() {
    }

    static String text(String name, String value, int maxLength) {
        if (value == null) {
            return null;
        }
        String trimmed = value.strip();
        if (trimmed.isEmpty()) {
            throw ProblemException.invalid(name + ": must not be empty when given");
        }
        if (trimmed.length() > maxLength) {
            throw ProblemException.invalid(name + ": at most " + maxLength + " characters, got " + trimmed.length());
        }
        return trimmed;
    }

    static String room(String value) {
        String room = optionalRoom(value);
        if (room == null) {
            throw ProblemException.invalid("room: required");
        }
        return room;
    }

    /**
     * A room name exactly as given: LiveKit's names may begin or end with spaces, so " p1 " names another room than "p1"
     * (trimmed, a DELETE of the one would remove the other's transcripts).
     */
    static String optionalRoom(String value) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw ProblemException.invalid("room: must not be empty when given");
        }
        if (value.length() > MAX_ROOM_LENGTH) {
            throw ProblemException.invalid("room: at most " + MAX_ROOM_LENGTH + " characters, got " + value.length());
        }
        return value;
    }

    static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(name + ": not an ISO-8601 instant such as 2025-01-31T09:00:00Z: '" + value + "'");
        }
        if (!inRange(instant)) {
            throw ProblemException.invalid(name + ": out of range; an instant from " + EARLIEST + " to 9999-12-31T23:59:59Z, not '"
                    + value + "'");
        }
        return instant;
    }

    static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }

    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            UUID uuid = UUID.fromString(value.strip());
            if (uuid.toString().equalsIgnoreCase(value.strip())) {
                return uuid;
            }
        } catch (IllegalArgumentException ignored) {
            // answered below
        }
        throw ProblemException.invalid(name + ": not a UUID: '" + value + "'");
    }

    static Boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProblemException.invalid(name + ": true or false, not '" + value + "'");
        };
    }

    static int limit(String value, int defaultSize, int maxSize) {
        if (value == null || value.isBlank()) {
            return defaultSize;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= maxSize) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw ProblemException.invalid("limit: a whole number from 1 to " + maxSize + ", not '" + value + "'");
    }

    /** One of an enum's symbols, case-insensitively (UNKNOWN is a symbol too: it is what unknown values were stored as). */
    static <E extends Enum<E>> String symbol(String name, String value, Class<E> type) {
        return oneOf(name, value, Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    }

    /** One of the given upper-case words, case-insensitively. */
    static String oneOf(String name, String value, List<String> choices) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String wanted = value.strip().toUpperCase(Locale.ROOT);
        if (choices.contains(wanted)) {
            return wanted;
        }
        throw ProblemException.invalid(name + ": one of " + String.join(", ", choices) + ", not '" + value + "'");
    }

    /** How a dial went, as the outcome filter takes it: ANSWERED or a CallFailed reason. */
    static String outcome(String value) {
        return oneOf("outcome", value, Stream.concat(Stream.of(SessionChange.DialOutcome.ANSWERED),
                Arrays.stream(CallFailureReason.values()).map(Enum::name)).toList());
    }

    /** status=live|ended as the filter on "has no SessionEnded yet". */
    static Boolean status(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        return switch (status.strip().toLowerCase(Locale.ROOT)) {
            case "live" -> true;
            case "ended" -> false;
            default -> throw ProblemException.invalid("status: live or ended, not '" + status + "'");
        };
    }

    /** A phone number as the caller/callee numbers are stored: E.164, so spaces, dashes, dots and brackets go. */
    static String phone(String value) {
        String phone = text("phone", value, 32);
        if (phone == null) {
            return null;
        }
        String normalized = phone.replaceAll("[\\s().-]", "");
        if (!normalized.matches("\\+?[0-9]{3,20}")) {
            throw ProblemException.invalid("phone: a phone number such as +14155550100, not '" + value + "'");
        }
        return normalized;
    }
}
