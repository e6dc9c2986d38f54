package dev.switchboard.schemas.serde;

import dev.switchboard.events.CallControlRequest;

/** Deserializer for {@link CallControlRequest} records. */
public final class CallControlRequestDeserializer extends AvroDeserializer<CallControlRequest> {
    public CallControlRequestDeserializer() {
        super(CallControlRequest.class);
    }
}
