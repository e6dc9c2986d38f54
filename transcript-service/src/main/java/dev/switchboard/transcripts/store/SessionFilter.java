package dev.switchboard.transcripts.store;

import java.time.Instant;

/**
 * What a session list is narrowed to; null fields do not filter.
 *
 * @param from       sessions that started at or after
 * @param to         sessions that started before
 * @param phone      the caller's or the callee's number
 * @param hasText    whether the session has any transcript line
 * @param text       a full-text query its transcript must match (with {@code textConfig})
 * @param live       true: still running (no SessionEnded yet); false: ended
 * @param tenant     only this tenant's sessions; null for every tenant
 */
public record SessionFilter(Instant from, Instant to, String phone, String agent, String endReason, String direction,
                            String room, Boolean hasText, String text, String textConfig, Boolean live,
                            String tenant) {
    public static SessionFilter none() {
        return new SessionFilter(null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
