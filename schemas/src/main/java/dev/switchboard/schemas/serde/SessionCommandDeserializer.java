package dev.switchboard.schemas.serde;

import dev.switchboard.events.SessionCommand;

/** Deserializer for {@link SessionCommand} records. */
public final class SessionCommandDeserializer extends AvroDeserializer<SessionCommand> {
    public SessionCommandDeserializer() {
        super(SessionCommand.class);
    }
}
