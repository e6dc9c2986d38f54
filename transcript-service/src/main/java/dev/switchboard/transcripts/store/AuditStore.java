package dev.switchboard.transcripts.store;

import dev.switchboard.events.AuditRecord;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit trail in PostgreSQL: each record stored once (by auditId), read newest first with keyset pagination. The
 * call controller's record of a dial it carried out also tells the tenant of the dial's session row while that row's
 * tenant is not known ({@link SessionRow#TENANT_UNKNOWN}: a dial outcome names none, see {@link SessionWriter}).
 */
@ApplicationScoped
public class AuditStore {
    /** The action of a dial's audit record (DialRequested), carried out when its outcome is DONE or FAILED. */
    static final String DIAL_ACTION = "DialRequested";

    private static final String DIAL_TENANTS = """
            UPDATE sessions s SET tenant = t.tenant
            FROM (SELECT a.room, a.command_id, min(a.tenant) AS tenant FROM audit_records a
                  WHERE a.command_id = ANY(?) AND a.action = 'DialRequested' AND a.outcome IN ('DONE', 'FAILED')
                  GROUP BY a.room, a.command_id HAVING count(DISTINCT a.tenant) = 1) t
            WHERE s.tenant = ? AND s.room = t.room AND s.dial_command_id = t.command_id""";

    /** One stored record. */
    public record AuditRow(String auditId, Instant occurredAt, String tenant, String actorKind, String actorId, String actorLabel,
                           String actorTenant, String action, String room, String sessionId, String commandId, String outcome,
                           String detail, String service) {
    }

    /** What to read: a tenant (null: every tenant), a room (null: every room), a time range (either end may be null). */
    public record Filter(String tenant, String room, Instant from, Instant to) {
    }

    /** Where the previous page ended. */
    public record After(Instant occurredAt, String auditId) {
    }

    private final AgroalDataSource dataSource;

    AuditStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Deletes up to {@code limit} records that occurred before the cutoff, oldest first; returns how many went. */
    public int deleteOccurredBefore(Instant cutoff, int limit) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     DELETE FROM audit_records WHERE audit_id IN (
                         SELECT audit_id FROM audit_records WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)""")) {
            statement.setObject(1, Jdbc.timestamp(cutoff));
            statement.setInt(2, limit);
            return statement.executeUpdate();
        }
    }

    /** Stores the records in one transaction; a record already stored is left as it is. Returns how many were new. */
    public int insert(List<AuditRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     INSERT INTO audit_records (audit_id, occurred_at, tenant, actor_kind, actor_id, actor_label, actor_tenant, action,
                                                room, session_id, command_id, outcome, detail, service)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (audit_id) DO NOTHING""")) {
            connection.setAutoCommit(false);
            try {
                for (AuditRecord record : records) {
                    int i = 0;
                    statement.setString(++i, record.getAuditId());
                    statement.setObject(++i, Jdbc.timestamp(record.getOccurredAt()));
                    statement.setString(++i, record.getTenant());
                    statement.setString(++i, record.getActor().getKind().name());
                    statement.setString(++i, record.getActor().getId());
                    statement.setString(++i, record.getActor().getDisplayName());
                    statement.setString(++i, record.getActor().getTenant());
                    statement.setString(++i, record.getAction());
                    statement.setString(++i, record.getRoom());
                    statement.setString(++i, record.getSessionId());
                    statement.setString(++i, record.getCommandId());
                    statement.setString(++i, record.getOutcome());
                    statement.setString(++i, record.getDetail());
                    statement.setString(++i, record.getService());
                    statement.addBatch();
                }
                int stored = 0;
                for (int count : statement.executeBatch()) {
                    stored += Math.max(count, 0);
                }
                dialTenants(connection, records);
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                Jdbc.rollbackQuietly(connection, e);
                throw e;
            } finally {
                Jdbc.restoreAutoCommit(connection);
            }
        }
    }

    /** The sessions of the dials among the records whose tenant was not known get the dial's tenant. */
    private static void dialTenants(Connection connection, List<AuditRecord> records) throws SQLException {
        Object[] dials = records.stream().filter(r -> DIAL_ACTION.equals(r.getAction()) && r.getCommandId() != null)
                .map(AuditRecord::getCommandId).distinct().toArray();
        if (dials.length == 0) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(DIAL_TENANTS)) {
            statement.setArray(1, connection.createArrayOf("text", dials));
            statement.setString(2, SessionRow.TENANT_UNKNOWN);
            statement.executeUpdate();
        }
    }

    /** Up to {@code limit} records matching the filter, newest first, after the given position (null: from the newest). */
    public List<AuditRow> find(Filter filter, After after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_records WHERE true");
        List<Object> values = new ArrayList<>();
        if (filter.tenant() != null) {
            sql.append(" AND tenant = ?");
            values.add(filter.tenant());
        }
        if (filter.room() != null) {
            sql.append(" AND room = ?");
            values.add(filter.room());
        }
        if (filter.from() != null) {
            sql.append(" AND occurred_at >= ?");
            values.add(Jdbc.timestamp(filter.from()));
        }
        if (filter.to() != null) {
            sql.append(" AND occurred_at < ?");
            values.add(Jdbc.timestamp(filter.to()));
        }
        if (after != null) {
            sql.append(" AND (occurred_at, audit_id) < (?, ?)");
            values.add(Jdbc.timestamp(after.occurredAt()));
            values.add(after.auditId());
        }
        sql.append(" ORDER BY occurred_at DESC, audit_id DESC LIMIT ?");
        values.add(limit);
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
            List<AuditRow> rows = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    rows.add(new AuditRow(rs.getString("audit_id"), Jdbc.instant(rs, "occurred_at"), rs.getString("tenant"),
                            rs.getString("actor_kind"), rs.getString("actor_id"), rs.getString("actor_label"), rs.getString("actor_tenant"),
                            rs.getString("action"), rs.getString("room"), rs.getString("session_id"), rs.getString("command_id"),
                            rs.getString("outcome"), rs.getString("detail"), rs.getString("service")));
                }
            }
            return rows;
        }
    }
}
