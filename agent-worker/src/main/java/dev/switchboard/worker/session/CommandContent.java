package dev.switchboard.worker.session;

import dev.switchboard.events.SessionCommand;

/**
 * What makes two commands with one {@code commandId} the same command: where it goes and what it asks. Not its
 * issuedAt or expiresAt (a retry may carry new times), nor its issuer or correlation id (a forwarded copy is still the
 * same request). The payload is an Avro record, so equality compares its fields.
 */
record CommandContent(String room, String tenant, Object payload) {
    static CommandContent of(SessionCommand command) {
        return new CommandContent(command.getRoom(), command.getTenant(), command.getPayload());
    }

    String type() {
        return payload.getClass().getSimpleName();
    }
}
