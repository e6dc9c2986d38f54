package dev.switchboard.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.data.TimeConversions;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Avro single-object encoding (a 2-byte marker, the writer schema's 8-byte fingerprint, then the binary
 * record) for one record type. The decoder knows the current schema and every released one, so it reads
 * what any released writer produced, resolving it to the current shape. Thread-safe.
 */
public final class AvroCodec<T extends SpecificRecord> {
    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    AvroCodec(Class<T> type, Collection<Schema> olderWriterSchemas) {
        this.type = type;
        // The model resolves record classes through the type's own class loader: under Quarkus tests a class can
        // exist in two loaders, and instances must be of the type the caller knows.
        SpecificData model = new SpecificData(type.getClassLoader());
        model.addLogicalTypeConversion(new TimeConversions.TimestampMillisConversion());
        Schema current = model.getSchema(type);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current);
        olderWriterSchemas.forEach(decoder::addSchema);
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

    public T decode(byte[] bytes) {
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": it was written with a schema this reader"
                    + " does not know (" + e.getMessage() + "); a newer, unreleased writer or not a " + type.getSimpleName(), e);
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot decode " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }
}
