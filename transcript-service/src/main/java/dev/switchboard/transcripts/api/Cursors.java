package dev.switchboard.transcripts.api;

import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.transcripts.store.AuditStore;
import dev.switchboard.transcripts.store.SearchQueries;
import dev.switchboard.transcripts.store.SessionQueries;
import dev.switchboard.transcripts.store.SessionSort;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque cursors for keyset pagination: base64url of "kind|sort|key|id". The sort is part of the cursor, so a
 * cursor cannot silently be used with another order.
 */
final class Cursors {
    private static final String SESSIONS = "s1";
    private static final String SEARCH = "q1";
    private static final String AUDIT = "a1";

    private Cursors() {
    }

    static String sessions(SessionSort sort, SessionQueries.After after) {
        return after == null ? null : encode(SESSIONS + "|" + sort.apiName() + "|" + after.key() + "|" + after.sessionId());
    }

    static SessionQueries.After sessions(String cursor, SessionSort sort) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts = decode(cursor);
        if (!parts[0].equals(SESSIONS)) {
            throw ProblemException.invalid("cursor: not a cursor of GET /v1/sessions");
        }
        if (!parts[1].equals(sort.apiName())) {
            throw ProblemException.invalid("cursor: it was made for sort=" + parts[1] + ", not sort=" + sort.apiName()
                    + "; pass the same sort as on the first page");
        }
        try {
            if (sort == SessionSort.STARTED_ASC || sort == SessionSort.STARTED_DESC) {
                if (!Params.inRange(Instant.parse(parts[2]))) {
                    throw invalid();
                }
            } else {
                Long.parseLong(parts[2]);
            }
            return new SessionQueries.After(parts[2], UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    static String search(SearchQueries.After after) {
        return after == null ? null : encode(SEARCH + "|-createdAt|" + after.createdAt() + "|" + after.segmentId());
    }

    static SearchQueries.After search(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts = decode(cursor);
        if (!parts[0].equals(SEARCH)) {
            throw ProblemException.invalid("cursor: not a cursor of GET /v1/search");
        }
        try {
            Instant createdAt = Instant.parse(parts[2]);
            if (!Params.inRange(createdAt)) {
                throw invalid();
            }
            return new SearchQueries.After(createdAt, UUID.fromString(parts[3]));
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    static String audit(AuditStore.After after) {
        return after == null ? null : encode(AUDIT + "|-occurredAt|" + after.occurredAt() + "|" + after.auditId());
    }

    static AuditStore.After audit(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String[] parts = decode(cursor);
        if (!parts[0].equals(AUDIT)) {
            throw ProblemException.invalid("cursor: not a cursor of GET /v1/audit");
        }
        try {
            Instant occurredAt = Instant.parse(parts[2]);
            if (!Params.inRange(occurredAt) || parts[3].isBlank()) {
                throw invalid();
            }
            return new AuditStore.After(occurredAt, parts[3]);
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private static String encode(String value) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor.trim()), StandardCharsets.UTF_8);
            // A NUL byte would reach PostgreSQL (which cannot hold one in text) inside the id a cursor carries.
            String[] parts = decoded.split("\\|", -1);
            if (parts.length != 4 || decoded.indexOf('\0') >= 0) {
                throw invalid();
            }
            return parts;
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ProblemException invalid() {
        return ProblemException.invalid("cursor: not a cursor this service issued; use nextCursor from the previous page as it is");
    }
}
