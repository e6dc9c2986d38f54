package dev.switchboard.kit.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most so many audit records per key (a caller; or who, what and where) in a window: a budget of one keeps a script
 * retrying a refused request to one record, and a caller's budget stops records keyed by something the caller chooses
 * (a room name) from letting one token write as many as it sends requests. Remembers the most recent callers only, so its
 * memory is bounded whoever calls.
 */
public final class AuditBudget {
    private static final int REMEMBERED = 10_000;

    /** A key's current window: when it began and how many records it has had. */
    private static final class Window {
        Instant start;
        int used;
    }

    private final int perWindow;
    private final Duration window;
    private final Map<String, Window> windows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > REMEMBERED;
        }
    };

    public AuditBudget(int perWindow, Duration window) {
        this.perWindow = perWindow;
        this.window = window;
    }

    /** Whether the key may have one more record at {@code at} (and, if so, it is counted). */
    public synchronized boolean spend(String key, Instant at) {
        Window current = windows.computeIfAbsent(key, c -> new Window());
        if (current.start == null || !current.start.plus(window).isAfter(at)) {
            current.start = at;
            current.used = 0;
        }
        if (current.used >= perWindow) {
            return false;
        }
        current.used++;
        return true;
    }
}
