package dev.switchboard.controller.tenancy;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TenantFenceTest {
    private static final Issuer CRM = Issuer.newBuilder().setKind(IssuerKind.SYSTEM).setId("crm").build();
    private static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
    private final MovableClock clock = new MovableClock(START);

    private static CallControlRequest dial(String room, String tenant) {
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").build();
        return new Commands(CRM).callControl(Commands.newCommandId(), room, dial, Commands.DEFAULT_TTL, tenant);
    }

    private static CallControlRequest hangup(String room, String tenant) {
        HangupRequested hangup = HangupRequested.newBuilder().setReason(EndReason.OPERATOR_HANGUP).setScope(HangupScope.POLICY_DEFAULT)
                .setTransport(Transport.LIVEKIT).build();
        return new Commands(CRM).callControl(Commands.newCommandId(), room, hangup, Commands.DEFAULT_TTL, tenant);
    }

    private TenantFence fenceOver(Map<String, List<ReportedSession>> rooms) {
        return new TenantFence(room -> Optional.of(rooms.getOrDefault(room, List.of())), clock);
    }

    private static ReportedSession acmeIn(String room) {
        return new ReportedSession("w1", room, "s1", "acme", Transport.LIVEKIT);
    }

    @Test
    void theSessionsOwnTenantPasses() {
        assertThat(fenceOver(Map.of("r1", List.of(acmeIn("r1")))).check(hangup("r1", "acme")))
                .isInstanceOf(TenantFence.Verdict.Allowed.class);
    }

    @Test
    void anotherTenantIsRefusedWithoutNamingTheSessionsTenant() {
        var verdict = fenceOver(Map.of("r1", List.of(acmeIn("r1")))).check(hangup("r1", "globex"));

        assertThat(verdict).isInstanceOfSatisfying(TenantFence.Verdict.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo("the request is for tenant 'globex', but the session in room r1 belongs to another tenant");
            assertThat(refused.session()).isEqualTo(acmeIn("r1"));
        });
    }

    @Test
    void aRequestWithoutATenantIsTrustedAsTheWorkerTrustsCommandsWithoutOne() {
        var fence = fenceOver(Map.of("r1", List.of(acmeIn("r1")), "r2", List.of(new ReportedSession("w1", "r2", "s2", "default", Transport.LIVEKIT))));

        assertThat(fence.check(hangup("r1", null))).isInstanceOf(TenantFence.Verdict.Allowed.class);
        assertThat(fence.check(hangup("r1", " "))).isInstanceOf(TenantFence.Verdict.Allowed.class);
        assertThat(fence.check(hangup("r2", "acme"))).isInstanceOf(TenantFence.Verdict.Refused.class);
    }

    @Test
    void everySessionInTheRoomMustBeTheRequestsTenants() {
        var fence = fenceOver(Map.of("r1", List.of(acmeIn("r1"), new ReportedSession("w2", "r1", "s2", "globex", Transport.LIVEKIT))));

        assertThat(fence.check(hangup("r1", "acme"))).isInstanceOf(TenantFence.Verdict.Refused.class);
        assertThat(fence.check(hangup("r1", "globex"))).isInstanceOf(TenantFence.Verdict.Refused.class);
    }

    @Test
    void aRoomWithoutAReportedSessionIsCarriedOutAsBefore() {
        assertThat(fenceOver(Map.of()).check(hangup("ringing", "globex"))).isInstanceOf(TenantFence.Verdict.Allowed.class);
    }

    @Test
    void whatCannotBeReadUpToDateIsRefused() {
        var verdict = new TenantFence(room -> Optional.empty(), clock).check(hangup("r1", "acme"));

        assertThat(verdict).isInstanceOfSatisfying(TenantFence.Verdict.Refused.class, refused -> {
            assertThat(refused.reason()).contains("could not learn", "room r1", "not carried out");
            assertThat(refused.session()).isNull();
        });
    }

    @Test
    void whatCannotBeReadWhileShuttingDownIsLeftForTheNextControllerNotRefused() {
        var verdict = new TenantFence(room -> Optional.empty(), () -> true, clock).check(hangup("r1", "acme"));

        assertThat(verdict).isInstanceOfSatisfying(TenantFence.Verdict.Deferred.class,
                deferred -> assertThat(deferred.reason()).contains("shutting down"));
        assertThat(new TenantFence(room -> Optional.of(List.of()), () -> true, clock).check(hangup("r1", "acme")))
                .as("what can still be read is decided as ever").isInstanceOf(TenantFence.Verdict.Allowed.class);
    }

    @Test
    void aCallAnotherTenantIsDiallingIsFencedBeforeItsSessionIsReported() {
        var fence = fenceOver(Map.of());
        assertThat(fence.check(dial("ringing", "acme"))).isInstanceOf(TenantFence.Verdict.Allowed.class);

        assertThat(fence.check(hangup("ringing", "globex"))).isInstanceOfSatisfying(TenantFence.Verdict.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo("the request is for tenant 'globex', but the call being dialled into room ringing "
                    + "belongs to another tenant");
            assertThat(refused.session()).isNull();
        });
        assertThat(fence.check(dial("ringing", "globex"))).as("another tenant's dial into the room").isInstanceOf(TenantFence.Verdict.Refused.class);
        assertThat(fence.check(hangup("ringing", "acme"))).as("its own tenant").isInstanceOf(TenantFence.Verdict.Allowed.class);
        assertThat(fence.check(dial("ringing", "acme"))).as("its own tenant dials again").isInstanceOf(TenantFence.Verdict.Allowed.class);
    }

    @Test
    void aDialWithoutATenantIsTheDefaultTenantsAndADialRefusedIsNotRemembered() {
        var fence = fenceOver(Map.of("taken", List.of(acmeIn("taken"))));
        fence.check(dial("ringing", null));
        assertThat(fence.check(hangup("ringing", "acme"))).isInstanceOf(TenantFence.Verdict.Refused.class);
        assertThat(fence.check(hangup("ringing", "default"))).isInstanceOf(TenantFence.Verdict.Allowed.class);

        assertThat(fence.check(dial("taken", "globex"))).isInstanceOf(TenantFence.Verdict.Refused.class);
        assertThat(fence.check(hangup("taken", "acme"))).as("the refused dial left no mark").isInstanceOf(TenantFence.Verdict.Allowed.class);
    }

    @Test
    void aDialIsRememberedLongEnoughForThePhoneToRingAndTheAgentToBeReported() {
        var fence = fenceOver(Map.of());
        fence.check(dial("ringing", "acme"));
        clock.advance(TenantFence.DIAL_MEMORY.minusSeconds(1));
        assertThat(fence.check(hangup("ringing", "globex"))).isInstanceOf(TenantFence.Verdict.Refused.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(fence.check(hangup("ringing", "globex"))).isInstanceOf(TenantFence.Verdict.Allowed.class);
    }
}
