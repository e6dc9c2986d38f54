package dev.switchboard.transcripts.mapping;

import org.apache.avro.generic.IndexedRecord;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL's {@code text} and {@code jsonb} cannot hold a NUL character, so a record carrying one anywhere (a hang-up
 * reason, a token's display name, a metadata value) would be refused by the database and dead-lettered, and the stored
 * session would never learn, say, how it ended. The APIs refuse NUL, but any system may publish records: every string of
 * a record, nested records, lists and maps included, is stored with U+FFFD in place of each NUL, the rest as it came.
 */
public final class StorableText {
    private static final char NUL = '\0';
    private static final char REPLACEMENT = '\uFFFD';

    private StorableText() {
    }

    /** The string, with U+FFFD for each NUL; the same instance when it has none. */
    public static String of(String value) {
        return value == null || value.indexOf(NUL) < 0 ? value : value.replace(NUL, REPLACEMENT);
    }

    /** Replaces, in place, every NUL in the record's strings; returns the record. */
    public static <T extends IndexedRecord> T cleaned(T record) {
        clean(record);
        return record;
    }

    /** The value without NUL characters: the same instance when it had none (records are cleaned in place). */
    private static Object clean(Object value) {
        return switch (value) {
            case CharSequence text -> text.toString().indexOf(NUL) < 0 ? value : text.toString().replace(NUL, REPLACEMENT);
            case IndexedRecord record -> {
                for (int i = 0; i < record.getSchema().getFields().size(); i++) {
                    Object field = record.get(i);
                    Object cleaned = clean(field);
                    if (cleaned != field) {
                        record.put(i, cleaned);
                    }
                }
                yield record;
            }
            case Map<?, ?> map -> cleanMap(map);
            case List<?> list -> cleanList(list);
            case null, default -> value;
        };
    }

    private static Object cleanMap(Map<?, ?> map) {
        Map<Object, Object> cleaned = new LinkedHashMap<>();
        boolean changed = false;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            Object key = clean(entry.getKey());
            Object value = clean(entry.getValue());
            changed |= key != entry.getKey() || value != entry.getValue();
            cleaned.put(key, value);
        }
        return changed ? cleaned : map;
    }

    private static Object cleanList(List<?> list) {
        List<Object> cleaned = new ArrayList<>(list.size());
        boolean changed = false;
        for (Object item : list) {
            Object value = clean(item);
            changed |= value != item;
            cleaned.add(value);
        }
        return changed ? cleaned : list;
    }
}
