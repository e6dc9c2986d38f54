package dev.switchboard.schemas;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TransferFailed;
import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What SessionEvent v3 added (the dial's tenant, the transfer target, TransferFailed) means for the writers and readers of
 * v2 on either side of an upgrade: the current reader reads v2's records with the new fields empty, and a v2 reader that
 * resolves a v3 writer's schema (registry mode) reads everything but TransferFailed, which it rejects record by record.
 */
class SessionEventV3Test {
    private static final Schema V2 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(1);
    private static final Schema V3 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(2);

    @Test
    void aDialOutcomeOfAV2WriterIsReadWithoutATenant() throws IOException {
        Schema failedV2 = branch(V2, "CallFailed");
        GenericRecord failed = new GenericData.Record(failedV2);
        failed.put("participantIdentity", "callee");
        failed.put("phoneNumber", "+15550100");
        failed.put("reason", new GenericData.EnumSymbol(failedV2.getField("reason").schema(), "BUSY"));
        GenericRecord event = envelope(failed);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V2).encode(event);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        SessionEvent read = new SessionEventDeserializer().deserialize("switchboard.session-events", bytes);

        assertThat(read.getPayload()).isInstanceOfSatisfying(CallFailed.class, f -> {
            assertThat(f.getPhoneNumber()).isEqualTo("+15550100");
            assertThat(f.getTenant()).as("not said by a v2 writer").isNull();
        });
    }

    @Test
    void aV2ReaderDropsTheNewFieldsAndRejectsOnlyTransferFailed() throws IOException {
        var samples = SampleRecords.sessionEvents();
        SessionEvent failedDial = samples.stream().filter(e -> e.getPayload() instanceof CallFailed).findFirst().orElseThrow();
        SessionEvent transferred = samples.stream().filter(e -> e.getPayload() instanceof CallEnded c && c.getTransferTo() != null)
                .findFirst().orElseThrow();
        SessionEvent refused = samples.stream().filter(e -> e.getPayload() instanceof TransferFailed).findFirst().orElseThrow();

        GenericRecord dial = (GenericRecord) readAsV2(failedDial).get("payload");
        assertThat(dial.getSchema().getName()).isEqualTo("CallFailed");
        assertThat(dial.getSchema().getField("tenant")).isNull();
        assertThat(dial.get("dialCommandId")).hasToString("d-1");

        GenericRecord ended = (GenericRecord) readAsV2(transferred).get("payload");
        assertThat(ended.get("reason")).hasToString("TRANSFERRED");
        assertThat(ended.getSchema().getField("transferTo")).isNull();

        assertThatThrownBy(() -> readAsV2(refused)).isInstanceOf(AvroTypeException.class).hasMessageContaining("TransferFailed");
    }

    /** A v3 writer's record as a reader of v2 resolves it (what a registry-mode reader of the older release does). */
    private static GenericRecord readAsV2(SessionEvent event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<SessionEvent>(SessionEvent.class).write(event, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(V3, V2).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static GenericRecord envelope(GenericRecord payload) {
        GenericRecord event = new GenericData.Record(V2);
        event.put("eventId", "e-1");
        event.put("room", "room-1");
        event.put("sessionId", null);
        event.put("occurredAt", 1_700_000_000_000L);
        event.put("source", "call-controller");
        event.put("payload", payload);
        return event;
    }

    private static Schema branch(Schema event, String name) {
        return event.getField("payload").schema().getTypes().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
