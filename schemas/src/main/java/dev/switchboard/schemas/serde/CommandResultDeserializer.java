package dev.switchboard.schemas.serde;

import dev.switchboard.events.CommandResult;

/** Deserializer for {@link CommandResult} records. */
public final class CommandResultDeserializer extends AvroDeserializer<CommandResult> {
    public CommandResultDeserializer() {
        super(CommandResult.class);
    }
}
