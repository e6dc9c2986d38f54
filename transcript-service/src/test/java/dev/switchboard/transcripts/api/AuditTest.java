package dev.switchboard.transcripts.api;

import dev.switchboard.events.AuditRecord;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.schemas.audit.AuditRecords;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.LogCapture;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.auth.AuthAssertions;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.transcripts.support.Api;
import dev.switchboard.transcripts.support.Events;
import dev.switchboard.transcripts.support.Events.Call;
import dev.switchboard.transcripts.support.Kafka;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.testing.auth.AuthAssertions.as;
import static org.assertj.core.api.Assertions.assertThat;

/** The audit trail on the real broker and database: stored once per auditId, served per tenant, newest first, in pages. */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class AuditTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Issuer ALICE = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("alice").setDisplayName("mallory").build();

    private static String tenant() {
        return "t" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static AuditRecord record(String tenant, String room, String action, String outcome, Instant at) {
        return AuditRecords.action(ALICE, tenant, action, outcome, at, "agent-worker").setRoom(room).setCommandId(UUID.randomUUID().toString()).build();
    }

    private static JsonPath audit(String token, String query) {
        return as(token).get("/v1/audit" + query).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath awaitAudit(String token, String query, int records) {
        return Awaitility.await().atMost(WAIT).until(() -> audit(token, query), page -> page.getList("records").size() == records);
    }

    @Test
    void aDeletionRefusedForAMissingScopeIsInTheTrailOfTheCallersTenant() {
        String tenant = tenant();
        String reader = TestTokens.token().subject("bob").tenant(tenant).scopes("transcripts:read").sign();
        as(reader).delete("/v1/sessions/{room}", Events.room("not-yours")).then().statusCode(403);

        JsonPath trail = awaitAudit(TestTokens.ofTenant(tenant), "", 1);
        assertThat(trail.getString("records[0].action")).isEqualTo("AccessRefused");
        assertThat(trail.getString("records[0].outcome")).isEqualTo("REFUSED");
        assertThat(trail.getString("records[0].actor.id")).isEqualTo("bob");
        assertThat(trail.getString("records[0].service")).isEqualTo("transcript-service");
        assertThat(trail.getString("records[0].detail")).isEqualTo("DELETE /v1/sessions/{room} needs the scope transcripts:delete");
    }

    @Test
    void theTrailIsServedPerTenantNewestFirstFilteredAndPagedWithEachRecordStoredOnce() {
        String acme = tenant();
        String globex = tenant();
        String room = Events.room("audited");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        AuditRecord injected = record(acme, room, "InjectContext", "APPLIED", t0);
        AuditRecord said = record(acme, room, "Say", "REJECTED", t0.plusSeconds(1));
        AuditRecord elsewhere = record(acme, room + "-b", "HangupRequested", "DONE", t0.plusSeconds(2));
        AuditRecord foreign = record(globex, room, "Interrupt", "APPLIED", t0.plusSeconds(3));
        Kafka.publish(injected, said, elsewhere, foreign, injected); // the first one delivered twice

        String acmeToken = TestTokens.ofTenant(acme);
        JsonPath all = awaitAudit(acmeToken, "", 3);
        assertThat(all.getList("records.action", String.class)).containsExactly("HangupRequested", "Say", "InjectContext");
        assertThat(all.getString("records[2].actor.id")).isEqualTo("alice");
        assertThat(all.getString("records[2].actor.displayName")).isEqualTo("mallory");
        assertThat(all.getString("records[2].outcome")).isEqualTo("APPLIED");
        assertThat(all.getString("records[2].commandId")).isEqualTo(injected.getCommandId());
        assertThat(all.getString("records[2].occurredAt")).isEqualTo(t0.toString());

        assertThat(audit(acmeToken, "?room=" + room).getList("records.action", String.class)).containsExactly("Say", "InjectContext");
        assertThat(audit(acmeToken, "?from=" + t0.plusSeconds(1) + "&to=" + t0.plusSeconds(2)).getList("records.action", String.class))
                .containsExactly("Say");

        JsonPath first = audit(acmeToken, "?limit=2");
        assertThat(first.getList("records.action", String.class)).containsExactly("HangupRequested", "Say");
        JsonPath second = audit(acmeToken, "?limit=2&cursor=" + first.getString("nextCursor"));
        assertThat(second.getList("records.action", String.class)).containsExactly("InjectContext");
        assertThat(second.getString("nextCursor")).isNull();

        // Another tenant sees only its own; an operator sees both of the room.
        assertThat(audit(TestTokens.ofTenant(globex), "?room=" + room).getList("records.action", String.class)).containsExactly("Interrupt");
        assertThat(audit(TestTokens.admin(), "?room=" + room).getList("records.action", String.class))
                .containsExactly("Interrupt", "Say", "InjectContext");
    }

    @Test
    void aDeletionIsAuditedWithTheTokensSubjectAndWithoutTheWordsOfTheCall() {
        String tenant = tenant();
        Call call = Api.storedCall("audit-delete", tenant, "my card number is secret");
        String alice = TestTokens.token().subject("alice").tenant(tenant).scopes(TestTokens.TENANT_SCOPES).sign();
        String eveTenant = tenant();
        String eve = TestTokens.token().subject("eve").tenant(eveTenant).scopes(TestTokens.TENANT_SCOPES).sign();

        // Another tenant's attempt deletes nothing, and is recorded under its own tenant, not the victim's.
        as(eve).delete("/v1/sessions/{room}", call.room()).then().statusCode(200).body("deletedSessions", org.hamcrest.Matchers.is(0));
        JsonPath attempt = awaitAudit(eve, "?room=" + call.room(), 1);
        assertThat(attempt.getString("records[0].action")).isEqualTo("TranscriptDeleted");
        assertThat(attempt.getString("records[0].actor.id")).isEqualTo("eve");
        assertThat(attempt.getString("records[0].tenant")).isEqualTo(eveTenant);
        assertThat(attempt.getString("records[0].detail")).isEqualTo("nothing deleted: no session of the tenant stored under the room");
        as(alice).header("X-Switchboard-Issuer", "mallory").delete("/v1/sessions/{room}", call.room()).then().statusCode(200);

        JsonPath trail = awaitAudit(alice, "?room=" + call.room(), 1);
        assertThat(trail.getString("records[0].action")).isEqualTo("TranscriptDeleted");
        assertThat(trail.getString("records[0].actor.id")).isEqualTo("alice");
        assertThat(trail.getString("records[0].tenant")).isEqualTo(tenant);
        assertThat(trail.getString("records[0].outcome")).isEqualTo("DONE");
        assertThat(trail.getString("records[0].service")).isEqualTo("transcript-service");
        assertThat(trail.getString("records[0].sessionId")).isEqualTo(call.sessionId());
        assertThat(trail.getString("records[0].detail")).isEqualTo("1 session(s) with 1 segment(s) deleted: [" + call.sessionId() + "]");
        assertThat(trail.prettify()).doesNotContain("secret").doesNotContain("eve");
    }

    @Test
    void theTrailWantsATokenWithAuditReadAndCheckedParameters() {
        try (LogCapture log = LogCapture.start()) {
            AuthAssertions.refusesUnusableTokens("audit", r -> r.get("/v1/audit"));
            AuthAssertions.needsScope("audit", "audit:read", r -> r.get("/v1/audit"));
            for (String query : List.of("?from=yesterday", "?to=2025-13-01T00:00:00Z", "?limit=0", "?cursor=bm90LWEtY3Vyc29y",
                    "?from=2025-02-01T00:00:00Z&to=2025-01-01T00:00:00Z")) {
                Api.assertProblem(as(TestTokens.admin()).get("/v1/audit" + query), 400, "");
            }
            assertThat(log.atLeast(LogCapture.WARN)).as(LogCapture.describe(log.all())).isEmpty();
        }
    }
}
