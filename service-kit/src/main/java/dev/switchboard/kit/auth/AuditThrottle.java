package dev.switchboard.kit.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most one audit record per key (who, what, where) in a quiet period: a script retrying a refused request must not
 * flood the trail, and one record already says it happened. Remembers the most recent keys only, so its memory is
 * bounded whoever calls.
 */
public final class AuditThrottle {
    private static final int REMEMBERED = 10_000;

    private final Duration quiet;
    private final Map<String, Instant> lastRecorded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    public AuditThrottle(Duration quiet) {
        this.quiet = quiet;
    }

    /** Whether a record for this key may be written at {@code at} (and, if so, that one is from now on). */
    public synchronized boolean mayRecord(String key, Instant at) {
        Instant last = lastRecorded.get(key);
        if (last != null && last.plus(quiet).isAfter(at)) {
            return false;
        }
        lastRecorded.put(key, at);
        return true;
    }
}
