package dev.switchboard.kit.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * At most so many audit records per caller in a window: records keyed by something the caller chooses (a room name)
 * would otherwise let one token write as many as it sends requests. Remembers the most recent callers only, so its
 * memory is bounded whoever calls.
 */
public final class AuditBudget {
    private static final int REMEMBERED = 10_000;

    /** The caller's current window: when it began and how many records it has had. */
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

    /** Whether the caller may have one more record at {@code at} (and, if so, it is counted). */
    public synchronized boolean spend(String caller, Instant at) {
        Window current = windows.computeIfAbsent(caller, c -> new Window());
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
