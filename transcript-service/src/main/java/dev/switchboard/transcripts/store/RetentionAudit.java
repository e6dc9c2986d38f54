package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.Map;

/**
 * Where a retention purge reports what it removed: the service's audit trail ({@code audit.AuditTrail}). An interface
 * here rather than a call into {@code audit}, because the audit trail sits above the store (it also records deletions
 * on request, from the store's {@link SessionDeleter.Share}s), and the store must not depend on it in turn.
 */
public interface RetentionAudit {

    /** How much of one tenant's data a purge removed: counts only, a purge may remove more sessions than are worth listing. */
    record Counts(int sessions, long segments) {
        public Counts plus(Counts other) {
            return new Counts(sessions + other.sessions, segments + other.segments);
        }
    }

    /** A retention purge: how many of each tenant's sessions and segments it removed, of those started before the cutoff. */
    void purged(Map<String, Counts> byTenant, Instant cutoff);
}
