package dev.switchboard.schemas;

import dev.switchboard.events.CallAnswered;
import dev.switchboard.events.CallFailed;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.serde.SchemaCatalog;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
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

/**
 * What SessionEvent v5 added: the dial outcomes' {@code fromNumber} and {@code agentName}. The current reader reads
 * them, and v4's records without them; a v4 reader that resolves a v5 writer's schema (registry mode) reads the
 * outcomes without them.
 */
class SessionEventV5Test {
    private static final Schema V4 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(3);
    private static final Schema V5 = SchemaCatalog.releasedSchemas(SessionEvent.class).get(4);

    @Test
    void theCurrentSchemaIsReleasedAsV5() {
        assertThat(SchemaCatalog.releasedSchemas(SessionEvent.class)).hasSize(5);
        assertThat(V5).isEqualTo(SessionEvent.getClassSchema());
    }

    @Test
    void theDialOutcomesNameTheCallingNumberAndTheAgent() {
        for (SessionEvent event : SampleRecords.sessionEvents()) {
            if (!(event.getPayload() instanceof CallAnswered) && !(event.getPayload() instanceof CallFailed)) {
                continue;
            }
            byte[] bytes = new AvroSerializer<SessionEvent>().serialize("switchboard.session-events", event);

            Object payload = new SessionEventDeserializer().deserialize("switchboard.session-events", bytes).getPayload();

            switch (payload) {
                case CallAnswered a -> assertThat(new String[]{a.getFromNumber(), a.getAgentName()}).containsExactly("+15550199", "support");
                case CallFailed f -> assertThat(new String[]{f.getFromNumber(), f.getAgentName()}).containsExactly("+15550199", "support");
                default -> throw new AssertionError(payload);
            }
        }
    }

    @Test
    void aDialOutcomeOfAV4WriterIsReadWithoutThem() throws IOException {
        Schema failedV4 = branch(V4, "CallFailed");
        GenericRecord failed = new GenericData.Record(failedV4);
        failed.put("participantIdentity", "callee");
        failed.put("phoneNumber", "+15550100");
        failed.put("reason", new GenericData.EnumSymbol(failedV4.getField("reason").schema(), "BUSY"));
        failed.put("tenant", "acme");
        GenericRecord event = new GenericData.Record(V4);
        event.put("eventId", "e-1");
        event.put("room", "room-1");
        event.put("sessionId", null);
        event.put("occurredAt", 1_700_000_000_000L);
        event.put("source", "call-controller");
        event.put("payload", failed);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), V4).encode(event);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        SessionEvent read = new SessionEventDeserializer().deserialize("switchboard.session-events", bytes);

        assertThat(read.getPayload()).isInstanceOfSatisfying(CallFailed.class, f -> {
            assertThat(f.getTenant()).isEqualTo("acme");
            assertThat(f.getFromNumber()).as("not said by a v4 writer").isNull();
            assertThat(f.getAgentName()).as("not said by a v4 writer").isNull();
        });
    }

    @Test
    void aV4ReaderReadsTheOutcomesWithoutThem() throws IOException {
        for (SessionEvent event : SampleRecords.sessionEvents()) {
            if (!(event.getPayload() instanceof CallAnswered) && !(event.getPayload() instanceof CallFailed)) {
                continue;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new SpecificDatumWriter<SessionEvent>(SessionEvent.class).write(event, encoder);
            encoder.flush();

            GenericRecord read = new GenericDatumReader<GenericRecord>(SessionEvent.getClassSchema(), V4)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));

            GenericRecord payload = (GenericRecord) read.get("payload");
            assertThat(payload.getSchema().getField("fromNumber")).isNull();
            assertThat(payload.get("tenant")).hasToString("acme");
            assertThat(payload.get("dialCommandId")).hasToString("d-1");
        }
    }

    private static Schema branch(Schema event, String name) {
        return event.getField("payload").schema().getTypes().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }
}
