-- The retention purge removes audit records by age (switchboard.transcripts.retention.audit-days), oldest first.
CREATE INDEX audit_records_time ON audit_records (occurred_at);
