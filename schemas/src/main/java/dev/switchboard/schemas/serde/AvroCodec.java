package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
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
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Avro single-object encoding (a 2-byte marker, the writer schema's 8-byte fingerprint, then the binary
 * record) for one record type. The decoder knows the current schema and every released one, so it reads
 * what any released writer produced, resolving it to the current shape. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final SpecificData model;
    private final Schema current;
    private final SpecificDatumWriter<T> framedWriter;
    /** Readers of a schema registry's framing, by writer schema: each resolves that writer to the current shape. */
    private final ConcurrentMap<Schema, SpecificDatumReader<T>> framedReaders = new ConcurrentHashMap<>();
    /** The fingerprints this codec reads, to name the one a writer got wrong. */
    private final Set<Long> knownFingerprints = new HashSet<>();

    AvroCodec(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = type;
        // The model resolves record classes through the type's own class loader: under Quarkus tests a class can
        // exist in two loaders, and instances must be of the type the caller knows.
        this.model = new SpecificData(type.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        this.current = model.getSchema(type);
        this.framedWriter = new SpecificDatumWriter<>(current, model);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        olderWriterSchemas.forEach(decoder::addSchema);
        knownFingerprints.add(SchemaNormalization.parsingFingerprint64(current));
        olderWriterSchemas.forEach(schema -> knownFingerprints.add(SchemaNormalization.parsingFingerprint64(schema)));
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
            int body = SchemaRegistryMode.HEADER_LENGTH;
            return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, body, bytes.length - body, null));
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
        if (knownFingerprints.contains(Long.reverseBytes(written))) {
            return "its schema fingerprint reads " + hex + ", which is the released fingerprint "
                    + HexFormat.of().toHexDigits(Long.reverseBytes(written)) + " with its bytes reversed: write the fingerprint "
                    + "little-endian (least significant byte first)";
        }
        return "it was written with a schema this reader does not know (fingerprint " + hex + "); a newer, unreleased writer "
                + "or not a " + type.getSimpleName() + " (the released fingerprints are listed in the AsyncAPI document)";
    }

    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + unknownWriter(bytes), e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
