-- How an outbound call's dial went, from the call controller's CallAnswered / CallFailed and the agent's
-- AnswerClassified. Every column is set once, like the others (a redelivered or replayed event matches no row).
ALTER TABLE sessions
    -- The DialRequested that placed the call (SessionStarted.dialCommandId, CallAnswered / CallFailed.dialCommandId):
    -- how an outcome that names no session finds the session of its dial again.
    ADD COLUMN dial_command_id text,
    -- ANSWERED, or the CallFailed reason (BUSY, NO_ANSWER, DECLINED, INVALID_NUMBER, TRUNK_REJECTED, ...).
    ADD COLUMN dial_outcome    text,
    -- When the controller saw the answer or the failure.
    ADD COLUMN dial_outcome_at timestamptz,
    -- HUMAN or MACHINE once answering-machine detection decided; UNKNOWN for an answered call it did not classify.
    ADD COLUMN answered_by     text,
    -- A failed dial's SIP status (e.g. 486 'Busy Here') and the controller's words about it.
    ADD COLUMN sip_status_code integer,
    ADD COLUMN sip_status      text,
    ADD COLUMN dial_detail     text,
    -- A row made by a dial outcome that found no session to complete: a dial whose agent session never started (a
    -- failed dial usually), or whose SessionStarted is still on its way. Its id is derived from the room and the dial;
    -- when the agent's session of that dial starts, the row is folded into it (and its id remembered as deleted).
    ADD COLUMN dial_only       boolean NOT NULL DEFAULT false;

-- Tenants: a dial's row of its own takes the tenant its event names, else the tenant of the call controller's audit
-- record of the dial (DialRequested), whichever is stored first. Until then its tenant is '(unknown)', which is no
-- tenant name ([A-Za-z0-9._-]), so no tenant's token sees the row (tenants:all does): never 'default' by mistake.

-- A dial's session, found by its command id (an outcome that names no session, a redelivery of it).
CREATE INDEX sessions_room_dial ON sessions (room, dial_command_id) WHERE dial_command_id IS NOT NULL;
-- "The failed calls": the outcome filter, newest first.
CREATE INDEX sessions_dial_outcome ON sessions (dial_outcome, started_at DESC) WHERE dial_outcome IS NOT NULL;
