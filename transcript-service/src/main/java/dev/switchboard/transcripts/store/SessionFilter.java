package dev.switchboard.transcripts.store;

import java.time.Instant;

/**
 * What a session list, or the sessions of search hits, is narrowed to; null fields do not filter.
 *
 * @param from       sessions that started at or after
 * @param to         sessions that started before
 * @param phone      the caller's or the callee's number
 * @param outcome    how the dial went: ANSWERED or the failure's reason (BUSY, NO_ANSWER, ...)
 * @param answeredBy who answered an outbound call: HUMAN, MACHINE, UNKNOWN (answered, not classified)
 * @param hasText    whether the session has any transcript line (session lists only)
 * @param text       a full-text query its transcript must match (with {@code textConfig}; session lists only)
 * @param live       true: still running (no SessionEnded yet); false: ended
 * @param tenant     only this tenant's sessions; null for every tenant
 */
public record SessionFilter(Instant from, Instant to, String phone, String agent, String endReason, String direction,
                            String outcome, String answeredBy, String room, Boolean hasText, String text, String textConfig,
                            Boolean live, String tenant) {
    public static SessionFilter none() {
        return new SessionFilter(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
