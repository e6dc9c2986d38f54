-- The transfers of the caller that were tried during a session, oldest first: a JSON array of
-- {"eventId", "at", "to", "outcome", "sipStatusCode"?, "sipStatus"?, "detail"?, "commandId"?, "requestedByKind"?,
--  "requestedById"?, "requestedByName"?}, from the call controller's CallEnded with reason TRANSFERRED (outcome
-- TRANSFERRED, "to" from SessionEvent v3 on) and TransferFailed (outcome BUSY, NO_ANSWER, DECLINED, ..., FAILED).
-- Each event is added once (by eventId) and the array kept sorted by time, so a redelivery or a replay in any order
-- leaves it as it was. Null while no transfer was tried.
ALTER TABLE sessions ADD COLUMN transfers jsonb;
