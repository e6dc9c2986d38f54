package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.FfiProto.LogRecord;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The engine's own log (it sends its records in batches when started with {@code captureLogs}): each record goes to
 * the {@code livekit.ffi} {@link System.Logger} when it is at least {@code minLevel}, and the last warnings and
 * errors are kept for diagnostics.
 */
final class EngineLogs {
    private static final System.Logger ENGINE_LOG = System.getLogger("livekit.ffi");
    private static final int KEPT_WARNINGS = 64;

    private final Level minLevel;
    private final LongAdder records = new LongAdder();
    private final Deque<EngineLogRecord> recentWarnings = new ArrayDeque<>(); // guarded by itself

    EngineLogs(Level minLevel) {
        this.minLevel = minLevel;
    }

    void batch(List<LogRecord> batch) {
        records.add(batch.size());
        for (LogRecord r : batch) {
            Level level = switch (r.getLevel()) {
                case LOG_ERROR -> Level.ERROR;
                case LOG_WARN -> Level.WARNING;
                case LOG_INFO -> Level.INFO;
                case LOG_DEBUG -> Level.DEBUG;
                case LOG_TRACE -> Level.TRACE;
            };
            if (level.getSeverity() >= Level.WARNING.getSeverity()) {
                keep(new EngineLogRecord(level, r.getTarget(), r.getMessage()));
            }
            if (level.getSeverity() >= minLevel.getSeverity() && ENGINE_LOG.isLoggable(level)) {
                ENGINE_LOG.log(level, r.getTarget() + ": " + r.getMessage());
            }
        }
    }

    private void keep(EngineLogRecord warning) {
        synchronized (recentWarnings) {
            if (recentWarnings.size() == KEPT_WARNINGS) {
                recentWarnings.removeFirst();
            }
            recentWarnings.addLast(warning);
        }
    }

    /** How many records the engine sent. */
    long records() {
        return records.sum();
    }

    /** The last warnings and errors, oldest first (at most 64). */
    List<EngineLogRecord> recentWarnings() {
        synchronized (recentWarnings) {
            return List.copyOf(recentWarnings);
        }
    }
}
