package dev.switchboard.transcripts.store;

import dev.switchboard.transcripts.config.TranscriptsConfig;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Purges sessions that started more than {@code switchboard.transcripts.retention.days} ago, on a schedule, in
 * small transactions; and forgets tombstones once no topic can still hold their records. Logs counts and ids only.
 */
@ApplicationScoped
public class RetentionPurge {
    private static final Logger LOG = Logger.getLogger(RetentionPurge.class);

    /** What one purge removed. */
    public record Purged(int sessions, long segments, int tombstonesForgotten) {
    }

    private final AgroalDataSource dataSource;
    private final SessionDeleter deleter;
    private final TranscriptsConfig config;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final RetentionAudit audit;
    private final AuditStore auditStore;

    RetentionPurge(AgroalDataSource dataSource, SessionDeleter deleter, TranscriptsConfig config, Clock clock, MeterRegistry metrics,
                   RetentionAudit audit, AuditStore auditStore) {
        this.dataSource = dataSource;
        this.deleter = deleter;
        this.config = config;
        this.clock = clock;
        this.metrics = metrics;
        this.audit = audit;
        this.auditStore = auditStore;
    }

    @Scheduled(identity = "transcript-retention", every = "${switchboard.transcripts.retention.every}", delayed = "${switchboard.transcripts.retention.initial-delay}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        int days = config.retention().days();
        int auditDays = config.retention().auditDays();
        try {
            if (days > 0) {
                purgeStartedBefore(clock.instant().minus(Duration.ofDays(days)));
            }
            if (auditDays > 0) {
                purgeAuditBefore(clock.instant().minus(Duration.ofDays(auditDays)));
            }
        } catch (SQLException e) {
            LOG.errorf("retention purge failed, next attempt on schedule: %s", SqlErrors.describe(e));
        }
    }

    /** Purges the audit records that occurred before the cutoff, in small transactions; returns how many went. */
    public long purgeAuditBefore(Instant cutoff) throws SQLException {
        int batch = Math.max(1, config.retention().batchSize());
        long purged = 0;
        int deleted;
        do {
            deleted = auditStore.deleteOccurredBefore(cutoff, batch);
            purged += deleted;
        } while (deleted == batch);
        if (purged > 0) {
            LOG.infof("retention: purged %d audit record(s) that occurred before %s", purged, cutoff);
            metrics.counter("switchboard.transcripts.retention.purged.audit").increment(purged);
        }
        return purged;
    }

    public Purged purgeStartedBefore(Instant cutoff) throws SQLException {
        int batch = Math.max(1, config.retention().batchSize());
        int sessions = 0;
        long segments = 0;
        // Counts only: a purge may remove more sessions than are worth listing.
        Map<String, RetentionAudit.Counts> byTenant = new TreeMap<>();
        while (true) {
            List<SessionDeleter.Victim> victims = startedBefore(cutoff, batch);
            if (victims.isEmpty()) {
                break;
            }
            SessionDeleter.Deleted deleted = deleter.delete(victims, "retention");
            sessions += deleted.sessions();
            segments += deleted.segments();
            deleted.byTenant().forEach((tenant, share) -> byTenant.merge(tenant, new RetentionAudit.Counts(share.sessions(), share.segments()),
                    RetentionAudit.Counts::plus));
            if (victims.size() < batch) {
                break;
            }
        }
        int forgotten = forgetTombstones(clock.instant().minus(Duration.ofDays(Math.max(1, config.retention().tombstoneDays()))));
        if (sessions > 0 || forgotten > 0) {
            LOG.infof("retention: purged %d session(s) with %d segment(s) that started before %s; forgot %d old tombstone(s)",
                    sessions, segments, cutoff, forgotten);
        }
        audit.purged(byTenant, cutoff);
        metrics.counter("switchboard.transcripts.retention.purged.sessions").increment(sessions);
        metrics.counter("switchboard.transcripts.retention.purged.segments").increment(segments);
        return new Purged(sessions, segments, forgotten);
    }

    private List<SessionDeleter.Victim> startedBefore(Instant cutoff, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT session_id, room FROM sessions WHERE started_at < ? ORDER BY started_at LIMIT ?")) {
            statement.setObject(1, Jdbc.timestamp(cutoff));
            statement.setInt(2, limit);
            List<SessionDeleter.Victim> victims = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    victims.add(new SessionDeleter.Victim(rs.getObject(1, UUID.class), rs.getString(2)));
                }
            }
            return victims;
        }
    }

    private int forgetTombstones(Instant before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("DELETE FROM deleted_sessions WHERE deleted_at < ?")) {
            statement.setObject(1, Jdbc.timestamp(before));
            return statement.executeUpdate();
        }
    }
}
