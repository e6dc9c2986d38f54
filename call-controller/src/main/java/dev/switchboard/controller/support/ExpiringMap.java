package dev.switchboard.controller.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A concurrent map whose entries are forgotten a fixed time after they were last written. The controller's
 * memories (ended rooms, command ids, webhook ids) only need to outlive the duplicates they guard against, so
 * they stay small without a scheduler: expired entries are swept every so many writes.
 */
public final class ExpiringMap<K, V> {
    private static final int SWEEP_EVERY_WRITES = 256;

    private record Entry<V>(V value, Instant expiresAt) {
    }

    private final ConcurrentHashMap<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicInteger writes = new AtomicInteger();
    private final Duration ttl;
    private final Clock clock;

    public ExpiringMap(Duration ttl, Clock clock) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive: " + ttl);
        }
        this.ttl = ttl;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Optional<V> get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry)) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.value());
    }

    public void put(K key, V value) {
        entries.put(key, fresh(value));
        written();
    }

    /** Stores the value unless a live entry exists; true when this call stored it (a claim). */
    public boolean putIfAbsent(K key, V value) {
        boolean[] stored = {false};
        entries.compute(key, (k, current) -> {
            if (current != null && !expired(current)) {
                return current;
            }
            stored[0] = true;
            return fresh(value);
        });
        written();
        return stored[0];
    }

    /**
     * Atomically replaces the live value (empty when absent or expired) by what {@code change} returns; an empty
     * result removes the entry. Returns the new value.
     */
    public Optional<V> compute(K key, UnaryOperator<Optional<V>> change) {
        Entry<V> result = entries.compute(key, (k, current) -> {
            Optional<V> live = current == null || expired(current) ? Optional.empty() : Optional.of(current.value());
            return change.apply(live).map(this::fresh).orElse(null);
        });
        written();
        return Optional.ofNullable(result).map(Entry::value);
    }

    public void remove(K key) {
        entries.remove(key);
    }

    /** How many entries are held, expired ones included until the next sweep. */
    public int size() {
        return entries.size();
    }

    private Entry<V> fresh(V value) {
        return new Entry<>(Objects.requireNonNull(value, "value"), clock.instant().plus(ttl));
    }

    private boolean expired(Entry<V> entry) {
        return !clock.instant().isBefore(entry.expiresAt());
    }

    private void written() {
        if (writes.incrementAndGet() % SWEEP_EVERY_WRITES == 0) {
            entries.entrySet().removeIf(e -> expired(e.getValue()));
        }
    }
}
