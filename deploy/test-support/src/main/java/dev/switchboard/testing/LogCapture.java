package dev.switchboard.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records what the application under test logs (a {@code @QuarkusTest} runs it in the test's JVM, with the same log
 * manager) from {@link #start()} to {@link #close()}, to assert what a request did to the log.
 */
public final class LogCapture implements AutoCloseable {
    /** ERROR in JBoss Logging (SEVERE in java.util.logging). */
    public static final int ERROR = 1000;
    /** WARN in JBoss Logging (WARNING in java.util.logging). */
    public static final int WARN = 900;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            records.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        root.addHandler(handler);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    public List<LogRecord> atLeast(int level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level).toList();
    }

    /** Records that carry an exception: each prints a stack trace. */
    public List<LogRecord> withStackTrace() {
        return records.stream().filter(r -> r.getThrown() != null).toList();
    }

    public List<LogRecord> all() {
        return List.copyOf(records);
    }

    /** One line per record, for assertion messages. */
    public static String describe(List<LogRecord> records) {
        StringBuilder out = new StringBuilder();
        for (LogRecord r : records) {
            out.append('\n').append(r.getLevel()).append(' ').append(r.getLoggerName()).append(": ").append(message(r));
            if (r.getThrown() != null) {
                out.append(" [").append(r.getThrown()).append(']');
            }
        }
        return out.toString();
    }

    private static String message(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters == null || parameters.length == 0) {
            return message;
        }
        try {
            return message.contains("%") ? String.format(message, parameters) : java.text.MessageFormat.format(message, parameters);
        } catch (RuntimeException e) {
            return message;
        }
    }

    @Override
    public void close() {
        root.removeHandler(handler);
    }
}
