package dev.switchboard.gateway.commands;

import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a request asked for, as a SHA-256 of the command's payload as the gateway built it (an Avro record, field by field
 * in schema order) or of the request's fields: a retry with the same Idempotency-Key must ask for the same thing. The
 * digest is canonical: maps count by their entries (sorted by key), not their order, and the JSON the client sent (spacing,
 * key order, how a duration was written) is not in it, only the values it was read as.
 */
public final class RequestFingerprint {
    private RequestFingerprint() {
    }

    /** The fingerprint of a value: an Avro record, a map, a list, text, a number, an enum, ... or null. */
    public static String of(Object value) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
        add(digest, value);
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Whether a request with this fingerprint asks for what the earlier one did (an earlier one without a fingerprint, seen only from its result, cannot say). */
    public static boolean differs(String earlier, String now) {
        return earlier != null && !Objects.equals(earlier, now);
    }

    private static void add(MessageDigest digest, Object value) {
        switch (value) {
            case null -> tag(digest, 'N');
            case IndexedRecord record -> {
                tag(digest, 'R');
                text(digest, record.getSchema().getFullName());
                var fields = record.getSchema().getFields();
                count(digest, fields.size());
                for (var field : fields) {
                    text(digest, field.name());
                    add(digest, record.get(field.pos()));
                }
            }
            case Map<?, ?> map -> {
                tag(digest, 'M');
                count(digest, map.size());
                List<? extends Map.Entry<?, ?>> entries = map.entrySet().stream()
                        .sorted(Map.Entry.comparingByKey((a, b) -> String.valueOf(a).compareTo(String.valueOf(b)))).toList();
                for (var entry : entries) {
                    add(digest, entry.getKey() == null ? null : entry.getKey().toString());
                    add(digest, entry.getValue());
                }
            }
            case Collection<?> items -> {
                tag(digest, 'L');
                count(digest, items.size());
                items.forEach(item -> add(digest, item));
            }
            case CharSequence chars -> {
                tag(digest, 'S');
                text(digest, chars.toString());
            }
            case Enum<?> symbol -> {
                tag(digest, 'E');
                text(digest, symbol.name());
            }
            case GenericEnumSymbol<?> symbol -> {
                tag(digest, 'E');
                text(digest, symbol.toString());
            }
            case ByteBuffer bytes -> {
                tag(digest, 'B');
                byte[] copy = new byte[bytes.remaining()];
                bytes.duplicate().get(copy);
                count(digest, copy.length);
                digest.update(copy);
            }
            default -> {
                // Numbers, booleans, durations, instants: their type and their value as text.
                tag(digest, 'V');
                text(digest, value.getClass().getName());
                text(digest, value.toString());
            }
        }
    }

    private static void tag(MessageDigest digest, char tag) {
        digest.update((byte) tag);
    }

    private static void count(MessageDigest digest, int n) {
        digest.update(ByteBuffer.allocate(Integer.BYTES).putInt(n).array());
    }

    private static void text(MessageDigest digest, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        count(digest, bytes.length);
        digest.update(bytes);
    }
}
