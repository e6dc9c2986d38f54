package dev.switchboard.schemas.serde;

import dev.switchboard.events.WorkerHeartbeat;

/** Deserializer for {@link WorkerHeartbeat} records. */
public final class WorkerHeartbeatDeserializer extends AvroDeserializer<WorkerHeartbeat> {
    public WorkerHeartbeatDeserializer() {
        super(WorkerHeartbeat.class);
    }
}
