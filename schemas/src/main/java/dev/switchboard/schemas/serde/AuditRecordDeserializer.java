package dev.switchboard.schemas.serde;

import dev.switchboard.events.AuditRecord;

/** Deserializer for {@link AuditRecord} records. */
public final class AuditRecordDeserializer extends AvroDeserializer<AuditRecord> {
    public AuditRecordDeserializer() {
        super(AuditRecord.class);
    }
}
