package dev.switchboard.transcripts.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One transfer attempt as stored in {@code sessions.transfers} (a JSON array, see V6__transfers.sql): written from a
 * {@link SessionChange.Transfer}, read back as a {@link SessionRow.Transfer}. Absent values are left out.
 */
final class TransferEntry {
    private TransferEntry() {
    }

    static Map<String, Object> of(SessionChange.Transfer t) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("eventId", t.eventId()); // what makes a redelivery change nothing
        entry.put("at", t.occurredAt().toString());
        put(entry, "to", t.to());
        entry.put("outcome", t.outcome());
        put(entry, "sipStatusCode", t.sipStatusCode());
        put(entry, "sipStatus", t.sipStatus());
        put(entry, "detail", t.detail());
        put(entry, "commandId", t.commandId());
        put(entry, "requestedByKind", t.requestedByKind());
        put(entry, "requestedById", t.requestedById());
        put(entry, "requestedByName", t.requestedByName());
        return entry;
    }

    static List<SessionRow.Transfer> read(String json) {
        List<Map<String, Object>> entries = Jdbc.jsonList(json);
        if (entries == null) {
            return List.of();
        }
        List<SessionRow.Transfer> transfers = new ArrayList<>(entries.size());
        for (Map<String, Object> e : entries) {
            Object code = e.get("sipStatusCode");
            transfers.add(new SessionRow.Transfer(Instant.parse(text(e, "at")), text(e, "to"), text(e, "outcome"),
                    code instanceof Number n ? n.intValue() : null, text(e, "sipStatus"), text(e, "detail"), text(e, "commandId"),
                    text(e, "requestedByKind"), text(e, "requestedById"), text(e, "requestedByName")));
        }
        return List.copyOf(transfers);
    }

    private static void put(Map<String, Object> entry, String key, Object value) {
        if (value != null) {
            entry.put(key, value);
        }
    }

    private static String text(Map<String, Object> entry, String key) {
        Object value = entry.get(key);
        return value == null ? null : value.toString();
    }
}
