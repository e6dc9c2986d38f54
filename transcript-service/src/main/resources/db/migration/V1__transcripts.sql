-- Transcripts of agent sessions. One row per session, one row per transcript segment (the latest version of it:
-- a final supersedes its interim versions, a higher interim revision supersedes a lower one).
--
-- Everything written here is written idempotently by the ingestion (every update is guarded so that a redelivered
-- or replayed record matches no row), so replaying the Kafka topics leaves every row, byte for byte, as it was.

CREATE TABLE sessions (
    session_id        uuid        PRIMARY KEY,
    room              text        NOT NULL,
    -- SessionStarted.occurredAt once it is known (start_known); until then an estimate from the earliest record
    -- seen (segment createdAt - startMs, SessionEnded occurredAt - durationMs), so a session is listed and ordered
    -- even while its SessionStarted is still in flight on the other topic.
    started_at        timestamptz NOT NULL,
    start_known       boolean     NOT NULL DEFAULT false,
    transport         text,
    direction         text,
    agent_name        text,
    worker_id         text,
    caller_number     text,
    callee_number     text,
    sip_call_id       text,
    sip_trunk_id      text,
    metadata          jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- From SessionEnded: the session is over and every segment of it was published before.
    ended_at          timestamptz,
    duration_ms       bigint,
    end_reason        text,
    ended_by_kind     text,
    ended_by_id       text,
    ended_by_name     text,
    end_detail        text,
    usage             jsonb,
    -- From CallEnded: how the call itself was hung up (by the call controller, or observed).
    hangup_at         timestamptz,
    hangup_reason     text,
    hangup_method     text,
    hangup_command_id text,
    first_seen_at     timestamptz NOT NULL DEFAULT now()
);

-- "The latest session of a room", and the session list ordered by start (the default sort, keyset-paginated).
CREATE INDEX sessions_room_started ON sessions (room, started_at DESC);
CREATE INDEX sessions_started ON sessions (started_at DESC, session_id DESC);
-- Filters users search by: a phone number on either leg, an agent.
CREATE INDEX sessions_caller_number ON sessions (caller_number) WHERE caller_number IS NOT NULL;
CREATE INDEX sessions_callee_number ON sessions (callee_number) WHERE callee_number IS NOT NULL;
CREATE INDEX sessions_agent ON sessions (agent_name, started_at DESC) WHERE agent_name IS NOT NULL;

CREATE TABLE segments (
    segment_id           uuid        PRIMARY KEY,
    -- No foreign key: a segment may be stored before its session's SessionStarted; the ingestion creates a
    -- placeholder session row in the same transaction, and deletion removes both in one transaction.
    session_id           uuid        NOT NULL,
    room                 text        NOT NULL,
    sequence             bigint      NOT NULL,
    revision             integer     NOT NULL,
    role                 text        NOT NULL,
    participant_identity text,
    -- Redacted before it is stored (see redactions): the raw text never reaches the database.
    text                 text        NOT NULL,
    start_ms             bigint      NOT NULL,
    end_ms               bigint      NOT NULL,
    is_final             boolean     NOT NULL,
    interrupted          boolean     NOT NULL,
    generated_text       text,
    language             text,
    confidence           real,
    injected_by_kind     text,
    injected_by_id       text,
    injected_by_name     text,
    command_id           text,
    label                text,
    created_at           timestamptz NOT NULL,
    -- Which PII detectors fired on this segment (card, phone, email, digits, spoken-numbers): an audit trail
    -- without the content.
    redactions           text[]      NOT NULL DEFAULT '{}',
    -- The text search configuration of the segment's language (english, german, ...), chosen at ingestion.
    search_config        regconfig   NOT NULL,
    tsv                  tsvector    GENERATED ALWAYS AS (to_tsvector(search_config, text)) STORED
);

-- A transcript in order: one index range scan per session.
CREATE INDEX segments_transcript ON segments (session_id, start_ms, sequence);
-- Full-text search: the GIN index finds the lines of a rare word; for frequent words the planner walks the
-- newest-first index below instead and stops after one page of matches (search results are newest first).
CREATE INDEX segments_tsv ON segments USING gin (tsv);
CREATE INDEX segments_newest ON segments (created_at DESC, segment_id DESC);

-- Sessions deleted on request or by retention. Only ids, no content: they stop a redelivered or replayed record
-- from bringing a deleted session back (the topics keep records for days), and are purged after a while.
CREATE TABLE deleted_sessions (
    session_id uuid        PRIMARY KEY,
    room       text        NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    reason     text        NOT NULL
);
CREATE INDEX deleted_sessions_deleted_at ON deleted_sessions (deleted_at);
