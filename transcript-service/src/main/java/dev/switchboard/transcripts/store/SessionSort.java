package dev.switchboard.transcripts.store;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a session list is ordered; the API name has a leading '-' for descending. Ties break on sessionId. */
public enum SessionSort {
    STARTED_DESC("-startedAt", "s.started_at", true),
    STARTED_ASC("startedAt", "s.started_at", false),
    DURATION_DESC("-duration", "COALESCE(s.duration_ms, -1)", true),
    DURATION_ASC("duration", "COALESCE(s.duration_ms, -1)", false);

    private final String apiName;
    private final String expression;
    private final boolean descending;

    SessionSort(String apiName, String expression, boolean descending) {
        this.apiName = apiName;
        this.expression = expression;
        this.descending = descending;
    }

    public String apiName() {
        return apiName;
    }

    String expression() {
        return expression;
    }

    boolean descending() {
        return descending;
    }

    boolean byTime() {
        return this == STARTED_ASC || this == STARTED_DESC;
    }

    public static Optional<SessionSort> parse(String value) {
        return Arrays.stream(values()).filter(s -> s.apiName.equals(value)).findFirst();
    }

    public static String choices() {
        return Arrays.stream(values()).map(SessionSort::apiName).collect(Collectors.joining(", "));
    }

    /** The value of the sort key of a row, as a cursor keeps it. */
    public String keyOf(SessionRow row) {
        return byTime() ? row.startedAt().toString() : Long.toString(row.durationMs() == null ? -1 : row.durationMs());
    }
}
