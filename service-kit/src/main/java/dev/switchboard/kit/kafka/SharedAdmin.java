package dev.switchboard.kit.kafka;

import org.apache.kafka.clients.admin.Admin;

import java.time.Duration;
import java.util.Map;

/**
 * One admin client for a bean that asks the broker things now and then (topic checks, end offsets, deletions): made
 * at the first question rather than at start, so a broker that is away at start delays nothing, then kept and reused.
 * Its owner closes it when it is disposed of.
 */
public final class SharedAdmin implements AutoCloseable {
    private final Map<String, Object> settings;
    private volatile Admin admin;
    private boolean closed;

    /** @param kafkaConfig the service's {@code kafka.*} settings; see {@link AdminSettings#of} */
    public SharedAdmin(Map<String, Object> kafkaConfig, Duration timeout) {
        this.settings = AdminSettings.of(kafkaConfig, timeout);
    }

    public Admin get() {
        Admin current = admin;
        if (current == null) {
            synchronized (this) {
                if (closed) {
                    throw new IllegalStateException("the admin client is closed");
                }
                if (admin == null) {
                    admin = Admin.create(settings);
                }
                current = admin;
            }
        }
        return current;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
