-- The audit trail: one row per control action (switchboard.audit), written by the service that carried it out and
-- stored once per auditId. Never holds the words of a call. Served by GET /v1/audit, newest first, per tenant.
CREATE TABLE audit_records (
    audit_id     text PRIMARY KEY,
    occurred_at  timestamptz NOT NULL,
    tenant       text NOT NULL,
    actor_kind   text NOT NULL,
    actor_id     text NOT NULL,
    actor_label  text,
    actor_tenant text,
    action       text NOT NULL,
    room         text,
    session_id   text,
    command_id   text,
    outcome      text NOT NULL,
    detail       text,
    service      text NOT NULL,
    stored_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX audit_records_tenant_time ON audit_records (tenant, occurred_at DESC, audit_id DESC);
CREATE INDEX audit_records_room_time ON audit_records (room, occurred_at DESC, audit_id DESC);
