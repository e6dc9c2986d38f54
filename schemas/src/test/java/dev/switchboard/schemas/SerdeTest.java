package dev.switchboard.schemas;

import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.schemas.serde.AvroSerializer;
import dev.switchboard.schemas.serde.CallControlRequestDeserializer;
import dev.switchboard.schemas.serde.CommandResultDeserializer;
import dev.switchboard.schemas.serde.ControllerStatusDeserializer;
import dev.switchboard.schemas.serde.SessionCommandDeserializer;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SerdeTest {
    private final AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();

    @Test
    void everyRecordAndEveryUnionBranchRoundTrips() {
        assertRoundTrip(SampleRecords.sessionCommands(), new SessionCommandDeserializer(), 5);
        assertRoundTrip(SampleRecords.commandResults(), new CommandResultDeserializer(), 1);
        assertRoundTrip(SampleRecords.callControlRequests(), new CallControlRequestDeserializer(), 3);
        assertRoundTrip(SampleRecords.sessionEvents(), new SessionEventDeserializer(), 9);
        assertRoundTrip(SampleRecords.transcriptSegments(), new TranscriptSegmentDeserializer(), 1);
        assertRoundTrip(SampleRecords.controllerStatuses(), new ControllerStatusDeserializer(), 2);
    }

    private <T extends SpecificRecord> void assertRoundTrip(List<T> records, Deserializer<T> deserializer, int expectedCount) {
        assertThat(records).hasSize(expectedCount);
        for (T record : records) {
            byte[] bytes = serializer.serialize("any", record);
            // Single-object encoding: marker C3 01, then the 8-byte schema fingerprint.
            assertThat(bytes[0]).isEqualTo((byte) 0xC3);
            assertThat(bytes[1]).isEqualTo((byte) 0x01);
            assertThat(deserializer.deserialize("any", bytes)).isEqualTo(record);
        }
    }

    @Test
    void aNewerReaderReadsWhatAnOlderWriterWrote() throws Exception {
        Schema older = parse("schemas/TranscriptSegment-older.avsc");
        GenericRecord old = new GenericData.Record(older);
        old.put("segmentId", "seg-9");
        old.put("room", "room-1");
        old.put("sessionId", "s-1");
        old.put("sequence", 7L);
        old.put("role", new GenericData.EnumSymbol(older.getField("role").schema(), "USER"));
        old.put("participantIdentity", "caller");
        old.put("text", "hello there");
        old.put("startMs", 100L);
        old.put("endMs", 900L);
        old.put("isFinal", true);
        old.put("createdAt", 1_700_000_000_000L);
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        TranscriptSegment read = AvroCodec.withWriterSchemas(TranscriptSegment.class, List.of(older)).decode(bytes);

        assertThat(read.getText()).isEqualTo("hello there");
        assertThat(read.getRole()).isEqualTo(SpeakerRole.USER);
        assertThat(read.getSequence()).isEqualTo(7L);
        // Fields the older writer did not have take their defaults.
        assertThat(read.getRevision()).isZero();
        assertThat(read.getInterrupted()).isFalse();
        assertThat(read.getLabel()).isNull();
        assertThat(read.getGeneratedText()).isNull();
    }

    @Test
    void aRecordFromAnUnknownWriterFailsWithAClearError() throws Exception {
        Schema older = parse("schemas/TranscriptSegment-older.avsc");
        GenericRecord old = new GenericData.Record(older);
        older.getFields().forEach(f -> old.put(f.name(), defaultFor(f.schema())));
        ByteBuffer written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(old);
        byte[] bytes = new byte[written.remaining()];
        written.get(bytes);

        // The production deserializer only knows released versions, and this writer was never released.
        assertThatThrownBy(() -> new TranscriptSegmentDeserializer().deserialize("switchboard.transcripts", bytes))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("does not know");
    }

    @Test
    void aFingerprintWrittenBigEndianIsNamedAsSuch() {
        byte[] good = new AvroSerializer<SessionCommand>().serialize("t", SampleRecords.sessionCommands().getFirst());
        long fingerprint = ByteBuffer.wrap(good, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] swapped = good.clone();
        ByteBuffer.wrap(swapped, 2, 8).order(ByteOrder.BIG_ENDIAN).putLong(fingerprint);

        assertThatThrownBy(() -> new SessionCommandDeserializer().deserialize("t", swapped))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining(HexFormat.of().toHexDigits(fingerprint) + " with its bytes reversed")
                .hasMessageContaining("little-endian");
        byte[] unknown = good.clone();
        ByteBuffer.wrap(unknown, 2, 8).order(ByteOrder.LITTLE_ENDIAN).putLong(0x0123456789abcdefL);
        assertThatThrownBy(() -> new SessionCommandDeserializer().deserialize("t", unknown))
                .hasMessageContaining("does not know (fingerprint 0123456789abcdef)");
    }

    @Test
    void aValueThatGoesOnAfterItsRecordIsRefusedNotReadAsTheRecord() {
        byte[] good = new AvroSerializer<SessionCommand>().serialize("t", SampleRecords.sessionCommands().getFirst());
        byte[] longer = Arrays.copyOf(good, good.length + 7);
        System.arraycopy("garbage".getBytes(StandardCharsets.US_ASCII), 0, longer, good.length, 7);

        assertThat(new SessionCommandDeserializer().deserialize("t", good)).isEqualTo(SampleRecords.sessionCommands().getFirst());
        assertThatThrownBy(() -> new SessionCommandDeserializer().deserialize("t", longer))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("cannot decode SessionCommand: bytes are left over after the record");
        assertThatThrownBy(() -> new SessionCommandDeserializer().deserialize("t", Arrays.copyOf(good, 5)))
                .as("shorter than the header").hasMessageContaining("not in Avro's single-object encoding");
    }

    @Test
    void garbageIsASerializationErrorNotACrash() {
        assertThatThrownBy(() -> new SessionCommandDeserializer().deserialize("t", "{\"json\":true}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("SessionCommand");
    }

    private static Object defaultFor(Schema schema) {
        return switch (schema.getType()) {
            case STRING -> "x";
            case LONG -> 0L;
            case BOOLEAN -> false;
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().getFirst());
            case UNION -> null;
            default -> throw new IllegalArgumentException(schema.toString());
        };
    }

    static Schema parse(String resource) throws Exception {
        try (InputStream in = SerdeTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }
}
