package dev.switchboard.kit.auth;

import dev.switchboard.events.AuditRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class RefusalAuditsTest {
    private final RefusalAudits audits = new RefusalAudits();
    private final Caller mallory = new Caller("mallory", "acme", Set.of("calls:read"), null);
    private final Instant t0 = Instant.parse("2026-12-04T10:00:00Z");

    private AccessRefused refused(String route, Instant at) {
        return new AccessRefused(mallory, "calls:control", "POST", route, at);
    }

    @Test
    void theRecordNamesWhoTriedWhatWithoutWhichScope() {
        AuditRecord record = audits.record(refused("/v1/sessions/{room}/say", t0), "context-gateway").orElseThrow();
        assertThat(record.getActor().getId()).isEqualTo("mallory");
        assertThat(record.getTenant()).isEqualTo("acme");
        assertThat(record.getAction()).isEqualTo(RefusalAudits.ACTION);
        assertThat(record.getOutcome()).isEqualTo(RefusalAudits.OUTCOME);
        assertThat(record.getDetail()).isEqualTo("POST /v1/sessions/{room}/say needs the scope calls:control");
        assertThat(record.getOccurredAt()).isEqualTo(t0);
    }

    @Test
    void aRepeatWithinAMinuteIsNotRecordedAgainButAnotherRouteOrALaterOneIs() {
        assertThat(audits.record(refused("/v1/sessions/{room}/say", t0), "gw")).isPresent();
        assertThat(audits.record(refused("/v1/sessions/{room}/say", t0.plusSeconds(30)), "gw")).isEmpty();
        assertThat(audits.record(refused("/v1/sessions/{room}/hangup", t0.plusSeconds(30)), "gw")).isPresent();
        assertThat(audits.record(refused("/v1/sessions/{room}/say", t0.plus(RefusalAudits.QUIET).plusSeconds(1)), "gw")).isPresent();
    }
}
