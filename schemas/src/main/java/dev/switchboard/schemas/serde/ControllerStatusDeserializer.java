package dev.switchboard.schemas.serde;

import dev.switchboard.events.ControllerStatus;

/** Deserializer for {@link ControllerStatus} records. */
public final class ControllerStatusDeserializer extends AvroDeserializer<ControllerStatus> {
    public ControllerStatusDeserializer() {
        super(ControllerStatus.class);
    }
}
