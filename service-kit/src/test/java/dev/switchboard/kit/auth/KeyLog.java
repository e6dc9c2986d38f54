package dev.switchboard.kit.auth;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What {@link TokenKeys} logs while a test listens: how an outage of the key endpoint is reported. */
final class KeyLog extends Handler {
    private final Logger log = Logger.getLogger(TokenKeys.class.getName());
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    void listen() {
        log.addHandler(this);
    }

    void stopListening() {
        log.removeHandler(this);
    }

    /** The records at the level or above, in the order they were logged. */
    List<LogRecord> atLeast(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() >= level.intValue()).toList();
    }

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
}
