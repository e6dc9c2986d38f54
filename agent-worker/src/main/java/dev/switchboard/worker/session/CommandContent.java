package dev.switchboard.worker.session;

import dev.switchboard.events.SessionCommand;

/**
 * What makes two commands with one {@code commandId} the same command: where it goes and what it asks. Not its
 * issuedAt or expiresAt (a retry may carry new times), nor its issuer or correlation id (a forwarded copy is still the
 * same request). The payload is kept as its type and the hash of its fields (Avro records hash by content), not
 * itself: a session remembers thousands of commands, and a text may be thousands of characters. Two different payloads
 * of one type with the same hash (one chance in four billion) would be taken for a repeat, as every reuse was before.
 */
record CommandContent(String room, String tenant, String type, int payloadHash) {
    static CommandContent of(SessionCommand command) {
        Object payload = command.getPayload();
        return new CommandContent(command.getRoom(), command.getTenant(), payload.getClass().getSimpleName(), payload.hashCode());
    }
}
