package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemException;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code ?wait=}: {@code 0} (answer at once), milliseconds ({@code 500ms}), seconds ({@code 5s}, {@code 2.5s},
 * or a bare number), minutes or hours ({@code 1m}, {@code 1h}, spelt as the call durations are) or ISO-8601
 * ({@code PT5S}); never more than the configured maximum.
 */
final class WaitDuration {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,9})(ms|s|m|h)?|(\\d{1,9}\\.\\d{1,3})s?");

    private WaitDuration() {
    }

    static Duration parse(String raw, Duration whenAbsent, Duration max) {
        if (raw == null) {
            return whenAbsent;
        }
        Duration wait = parse(raw.trim());
        if (wait == null || wait.isNegative()) {
            throw ProblemException.invalid("wait must be a duration such as 0, 500ms, 5s or 1m, not \"" + raw + "\"");
        }
        if (wait.compareTo(max) > 0) {
            throw ProblemException.invalid("wait must be at most " + format(max) + ", not " + raw);
        }
        return wait;
    }

    private static Duration parse(String value) {
        Matcher simple = SIMPLE.matcher(value);
        if (simple.matches()) {
            if (simple.group(1) != null) {
                long amount = Long.parseLong(simple.group(1));
                return switch (simple.group(2) == null ? "s" : simple.group(2)) {
                    case "ms" -> Duration.ofMillis(amount);
                    case "m" -> Duration.ofMinutes(amount);
                    case "h" -> Duration.ofHours(amount);
                    default -> Duration.ofSeconds(amount);
                };
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(simple.group(3)) * 1000));
        }
        if (value.regionMatches(true, 0, "PT", 0, 2)) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return null;
    }

    static String format(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
    }
}
