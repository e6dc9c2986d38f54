package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Avro single-object encoding (a 2-byte marker, the writer schema's 8-byte fingerprint, then the binary
 * record) for one record type. The decoder knows the current schema and every released one, so it reads
 * what any released writer produced, resolving it to the current shape. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
    private final Class<T> type;
    /** Single-object encoding's first two bytes, then the writer schema's fingerprint (8 bytes, little-endian). */
    private static final byte[] MARKER = {(byte) 0xC3, 0x01};
    private static final int HEADER_LENGTH = MARKER.length + 8;

    private final BinaryMessageEncoder<T> encoder;
    /** A reader per writer schema it knows (the current one and every released one), by fingerprint. */
    private final Map<Long, SpecificDatumReader<T>> readers = new HashMap<>();
    private final SpecificData model;
    private final Schema current;
    private final SpecificDatumWriter<T> framedWriter;
    /** Readers of a schema registry's framing, by writer schema: each resolves that writer to the current shape. */
    private final ConcurrentMap<Schema, SpecificDatumReader<T>> framedReaders = new ConcurrentHashMap<>();

    AvroCodec(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = type;
        // The model resolves record classes through the type's own class loader: under Quarkus tests a class can
        // exist in two loaders, and instances must be of the type the caller knows.
        this.model = new SpecificData(type.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        this.current = model.getSchema(type);
        this.framedWriter = new SpecificDatumWriter<>(current, model);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        olderWriterSchemas.forEach(writer -> readers.put(SchemaNormalization.parsingFingerprint64(writer), new SpecificDatumReader<>(writer, current, model)));
        readers.put(SchemaNormalization.parsingFingerprint64(current), new SpecificDatumReader<>(current, current, model));
    }

    /** A codec that reads the current schema and every released version of it. */
    public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
        return new AvroCodec<>(type, SchemaCatalog.releasedSchemas(type));
    }

    /** A codec that also reads the given writer schemas (e.g. a version not yet released). */
    public static <T extends SpecificRecord> AvroCodec<T> withWriterSchemas(Class<T> type, Collection<Schema> writerSchemas) {
        var all = new java.util.ArrayList<>(SchemaCatalog.releasedSchemas(type));
        all.addAll(writerSchemas);
        return new AvroCodec<>(type, all);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] encode(T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The schema records are written with. */
    public Schema schema() {
        return current;
    }

    /** A schema registry's framing (Confluent's wire format): magic byte 0, the schema id (4 bytes, big-endian), the body. */
    byte[] encodeFramed(T record, int schemaId) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            out.write(SchemaRegistryMode.MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(schemaId).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            framedWriter.write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot encode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The body of a record in a registry's framing, written with {@code writer}, resolved to the current shape. */
    T decodeFramed(byte[] bytes, Schema writer) {
        SpecificDatumReader<T> reader = framedReaders.computeIfAbsent(writer, w -> new SpecificDatumReader<>(w, current, model));
        try {
            return readWhole(reader, bytes, SchemaRegistryMode.HEADER_LENGTH);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + " (written with " + writer.getFullName() + "): " + e.getMessage(), e);
        }
    }

    /**
     * Why a value's fingerprint (bytes 2 to 9, little-endian) is not one this reader knows, in the hex the AsyncAPI
     * document and the schemas' README list; a fingerprint written big-endian, the usual mistake, is named as such.
     */
    private String unknownWriter(byte[] bytes) {
        long written = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String hex = HexFormat.of().toHexDigits(written);
        if (readers.containsKey(Long.reverseBytes(written))) {
            return "its schema fingerprint reads " + hex + ", which is the released fingerprint "
                    + HexFormat.of().toHexDigits(Long.reverseBytes(written)) + " with its bytes reversed: write the fingerprint "
                    + "little-endian (least significant byte first)";
        }
        return "it was written with a schema this reader does not know (fingerprint " + hex + "); a newer, unreleased writer "
                + "or not a " + type.getSimpleName() + " (the released fingerprints are listed in the AsyncAPI document)";
    }

    public T decode(byte[] bytes) {
        if (bytes.length < HEADER_LENGTH || bytes[0] != MARKER[0] || bytes[1] != MARKER[1]) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": it is not in Avro's single-object encoding"
                    + " (the bytes C3 01, the writer schema's 8-byte fingerprint, then the record)");
        }
        SpecificDatumReader<T> reader = readers.get(ByteBuffer.wrap(bytes, MARKER.length, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
        if (reader == null) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + unknownWriter(bytes));
        }
        try {
            return readWhole(reader, bytes, HEADER_LENGTH);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The record that fills the value from {@code offset} to its end. Bytes left over are refused, not ignored: a value
     * with more than one record in it, or a record written with another schema than its fingerprint names, would
     * otherwise be read as a valid record of whatever its first bytes happen to say.
     */
    private static <T> T readWhole(SpecificDatumReader<T> reader, byte[] bytes, int offset) throws IOException {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null);
        T record = reader.read(null, in);
        if (!in.isEnd()) {
            throw new IOException("bytes are left over after the record (a value holds exactly one record, written with the schema"
                    + " its fingerprint names)");
        }
        return record;
    }
}
