package dev.switchboard.transcripts.store;

import dev.switchboard.events.AuditRecord;
import io.quarkus.arc.ClientProxy;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A bug planted in a store for one test (installed with {@code QuarkusMock}): a write that includes an item the trigger
 * picks throws, as a bug would, before anything is written; everything else goes to the real store. In this package
 * for the stores' package-private constructors.
 */
public final class PlantedBug<T> {
    public static final String MESSAGE = "a bug planted by the test";

    private final Predicate<T> trigger;
    private final List<Integer> failedWrites = new CopyOnWriteArrayList<>();

    public PlantedBug(Predicate<T> trigger) {
        this.trigger = trigger;
    }

    /** How many items each failed write had, in order. */
    public List<Integer> failedWrites() {
        return List.copyOf(failedWrites);
    }

    private void check(List<T> items) {
        if (items.stream().anyMatch(trigger)) {
            failedWrites.add(items.size());
            throw new IllegalStateException(MESSAGE);
        }
    }

    /** The segment writer with the bug, given the application's (its client proxy); {@code write} ends in {@code writeLines}. */
    public static SegmentWriter in(SegmentWriter application, PlantedBug<SegmentRow> bug) {
        SegmentWriter real = ClientProxy.unwrap(application);
        return new SegmentWriter(null) {
            @Override
            public Result writeLines(List<Line> lines) throws SQLException {
                bug.check(lines.stream().map(Line::row).toList());
                return real.writeLines(lines);
            }
        };
    }

    public static SessionWriter in(SessionWriter application, PlantedBug<SessionChange> bug) {
        SessionWriter real = ClientProxy.unwrap(application);
        return new SessionWriter(null) {
            @Override
            public Result apply(List<SessionChange> changes) throws SQLException {
                bug.check(changes);
                return real.apply(changes);
            }
        };
    }

    /** The audit store with the bug in its writes; it reads and deletes as the real one. */
    public static AuditStore in(AuditStore application, PlantedBug<AuditRecord> bug) {
        AuditStore real = ClientProxy.unwrap(application);
        return new AuditStore(null) {
            @Override
            public int insert(List<AuditRecord> records) throws SQLException {
                bug.check(records);
                return real.insert(records);
            }

            @Override
            public List<AuditRow> find(Filter filter, After after, int limit) throws SQLException {
                return real.find(filter, after, limit);
            }

            @Override
            public int deleteOccurredBefore(Instant cutoff, int limit) throws SQLException {
                return real.deleteOccurredBefore(cutoff, limit);
            }
        };
    }
}
