package dev.switchboard.schemas.serde;

import dev.switchboard.events.SessionEvent;

/** Deserializer for {@link SessionEvent} records. */
public final class SessionEventDeserializer extends AvroDeserializer<SessionEvent> {
    public SessionEventDeserializer() {
        super(SessionEvent.class);
    }
}
