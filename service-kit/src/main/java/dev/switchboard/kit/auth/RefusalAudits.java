package dev.switchboard.kit.auth;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.schemas.audit.AuditRecords;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.Optional;

/**
 * The audit records of refused requests ({@link AccessRefused}): who (the token's subject and tenant) tried what without
 * the scope for it. At most one per caller, scope and route per {@link #QUIET} (an {@link AuditBudget} of one).
 */
@ApplicationScoped
public class RefusalAudits {
    public static final String ACTION = "AccessRefused";
    public static final String OUTCOME = "REFUSED";
    static final Duration QUIET = Duration.ofMinutes(1);

    private final AuditBudget onePerQuiet = new AuditBudget(1, QUIET);

    /** The record for the refusal, unless the same one was recorded within the quiet period. */
    public Optional<AuditRecord> record(AccessRefused refused, String service) {
        String key = refused.caller().id() + '\n' + refused.scope() + '\n' + refused.method() + ' ' + refused.route();
        if (!onePerQuiet.spend(key, refused.at())) {
            return Optional.empty();
        }
        return Optional.of(AuditRecords.action(refused.caller().issuer(null), refused.caller().tenant(), ACTION, OUTCOME, refused.at(), service)
                .setDetail(refused.method() + " " + refused.route() + " needs the scope " + refused.scope())
                .build());
    }
}
