package dev.switchboard.schemas;

import dev.switchboard.events.CallFailed;
import dev.switchboard.events.CallFailureReason;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.AvroSerializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What SessionEvent v4 added (the CallFailureReason CANCELLED, for a dial the call controller's hang-up of its room
 * stopped) means on either side of an upgrade: the current reader reads it, and a v3 reader that resolves a v4 writer's
 * schema (registry mode) reads it as UNKNOWN, the enum's default, instead of rejecting the record.
 */
class SessionEventV4Test {
    private static final Schema V3 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(2);
    private static final Schema V4 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(3);

    private static SessionEvent cancelledDial() {
        SessionEvent failed = SampleRecords.sessionEvents().stream().filter(e -> e.getPayload() instanceof CallFailed).findFirst().orElseThrow();
        CallFailed payload = CallFailed.newBuilder((CallFailed) failed.getPayload()).setReason(CallFailureReason.CANCELLED)
                .setSipStatusCode(null).setSipStatus(null).setDetail("the call was hung up meanwhile (command h-1); not dialled").build();
        return SessionEvent.newBuilder(failed).setPayload(payload).build();
    }

    @Test
    void aCancelledDialIsReadBack() {
        byte[] bytes = new AvroSerializer<SessionEvent>().serialize("switchboard.session-events", cancelledDial());

        SessionEvent read = new SessionEventDeserializer().deserialize("switchboard.session-events", bytes);

        assertThat(read.getPayload()).isInstanceOfSatisfying(CallFailed.class, f -> assertThat(f.getReason()).isEqualTo(CallFailureReason.CANCELLED));
    }

    @Test
    void aV3ReaderReadsCancelledAsUnknown() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SessionEvent>(SessionEvent.class).write(cancelledDial(), encoder);
        encoder.flush();

        GenericRecord read = new GenericDatumReader<GenericRecord>(V4, V3).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

        GenericRecord payload = (GenericRecord) read.get("payload");
        assertThat(payload.getSchema().getName()).isEqualTo("CallFailed");
        assertThat(payload.get("reason")).hasToString("UNKNOWN");
        assertThat(payload.get("detail")).hasToString("the call was hung up meanwhile (command h-1); not dialled");
    }
}
