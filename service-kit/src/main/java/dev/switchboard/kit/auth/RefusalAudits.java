package dev.switchboard.kit.auth;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.schemas.audit.AuditRecords;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The audit records of refused requests ({@link AccessRefused}): who (the token's subject and tenant) tried what without
 * the scope for it. At most one per caller, scope and route per {@link #QUIET}: a script retrying a forbidden call
 * must not flood the trail, and one record already says it happened.
 */
@ApplicationScoped
public class RefusalAudits {
    public static final String ACTION = "AccessRefused";
    public static final String OUTCOME = "REFUSED";
    static final Duration QUIET = Duration.ofMinutes(1);
    private static final int REMEMBERED = 10_000;

    private final Map<String, Instant> lastRecorded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** The record for the refusal, unless the same one was recorded within the quiet period. */
    public synchronized Optional<AuditRecord> record(AccessRefused refused, String service) {
        String key = refused.caller().id() + '\n' + refused.scope() + '\n' + refused.method() + ' ' + refused.route();
        Instant last = lastRecorded.get(key);
        if (last != null && last.plus(QUIET).isAfter(refused.at())) {
            return Optional.empty();
        }
        lastRecorded.put(key, refused.at());
        return Optional.of(AuditRecords.action(refused.caller().issuer(null), refused.caller().tenant(), ACTION, OUTCOME, refused.at(), service)
                .setDetail(refused.method() + " " + refused.route() + " needs the scope " + refused.scope())
                .build());
    }
}
