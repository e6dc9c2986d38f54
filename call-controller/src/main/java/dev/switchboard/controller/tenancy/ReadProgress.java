package dev.switchboard.controller.tenancy;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * How far the heartbeat reader has read each partition (the offset of the next record it will apply), so that a
 * request can wait until everything written to the topic before it has been applied.
 */
final class ReadProgress {
    private final Map<Integer, Long> positions = new HashMap<>(); // guarded by this

    /** The reader (re)starts on these partitions, from their beginning: nothing read yet. */
    synchronized void following(Collection<Integer> partitions) {
        positions.clear();
        partitions.forEach(p -> positions.put(p, -1L));
        notifyAll();
    }

    /** Every record before {@code position} on the partition has been applied. */
    synchronized void at(int partition, long position) {
        positions.put(partition, position);
        notifyAll();
    }

    /** The reader lost its connection; it starts again with {@link #following}. */
    synchronized void stopped() {
        positions.clear();
    }

    /** The partitions being read, once the reader follows the topic; empty if it did not within the timeout. */
    synchronized Set<Integer> awaitPartitions(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (positions.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Set.of();
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return Set.copyOf(positions.keySet());
    }

    /** Waits until every partition has been read up to its end offset in {@code ends}; false on timeout. */
    synchronized boolean awaitPast(Map<Integer, Long> ends, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!past(ends)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    private boolean past(Map<Integer, Long> ends) {
        return !positions.isEmpty() && ends.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }
}
