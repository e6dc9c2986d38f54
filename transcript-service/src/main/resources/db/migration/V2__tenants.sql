-- Every session belongs to a tenant: SessionStarted.tenant, or until that is known the tenant of its first segment.
-- A token of one tenant never sees another's sessions, transcripts or search hits (tenants:all sees all). Sessions
-- stored before tenants existed belong to 'default', as records without a tenant do.
ALTER TABLE sessions ADD COLUMN tenant text NOT NULL DEFAULT 'default';

-- A tenant's session list, newest first (the default sort), keyset-paginated like the unfiltered one.
CREATE INDEX sessions_tenant_started ON sessions (tenant, started_at DESC, session_id DESC);
