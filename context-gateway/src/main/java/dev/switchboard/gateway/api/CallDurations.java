package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the durations of a call request: whole seconds, minutes or hours ({@code 30s}, {@code 10m}, {@code 1h}), or an
 * ISO-8601 duration as {@link Duration#parse} reads it ({@code PT30S}, {@code PT1H30M}, {@code P1D}: days, hours, minutes
 * and seconds, no months or years) that comes to a whole number of seconds.
 */
final class CallDurations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,6})([smh]?)");

    private CallDurations() {
    }

    /** Null when absent; a 400 naming the field when it is not a duration within [min, max]. */
    static Duration parse(String field, String raw, Duration min, Duration max) {
        if (raw == null) {
            return null;
        }
        Duration value = parse(raw.trim());
        if (value == null) {
            throw ProblemException.invalid(field + " must be a duration of whole seconds such as 30s, 10m or 1h"
                    + " (or ISO-8601: PT30S, PT1H30M, P1D), not \"" + raw + "\"");
        }
        // Compared as Durations, never converted to a number first: PT99999999999999H is a Duration but no long of millis.
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw ProblemException.invalid(field + " must be between " + WaitDuration.format(min) + " and "
                    + WaitDuration.format(max) + ", not " + raw);
        }
        return value;
    }

    private static Duration parse(String value) {
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            long amount = Long.parseLong(simple.group(1));
            return switch (simple.group(2)) {
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofSeconds(amount);
            };
        }
        // P1D as well as PT...: Duration reads days as 24 hours, which is what a call's length means.
        if (value.regionMatches(true, 0, "P", 0, 1)) {
            try {
                Duration parsed = Duration.parse(value);
                return parsed.getNano() == 0 ? parsed : null; // LiveKit takes whole seconds; PT1.0001S is not one
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }
}
