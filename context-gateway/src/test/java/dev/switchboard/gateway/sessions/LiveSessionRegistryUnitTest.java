package dev.switchboard.gateway.sessions;

import dev.switchboard.events.CallEnded;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.ParticipantJoined;
import dev.switchboard.events.ParticipantKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.events.Usage;
import dev.switchboard.testing.MovableClock;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class LiveSessionRegistryUnitTest {
    private static final Instant NOW = Instant.parse("2026-01-02T12:00:00Z");
    private final LiveSessionRegistry registry = new LiveSessionRegistry(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(24));

    private static SessionEvent event(String room, String sessionId, Instant at, Object payload) {
        return SessionEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setRoom(room).setSessionId(sessionId)
                .setOccurredAt(at).setSource("test").setPayload(payload).build();
    }

    private static SessionStarted started() {
        return SessionStarted.newBuilder().setTransport(Transport.SIMULATED).build();
    }

    private static SessionEnded ended(long durationMs) {
        return SessionEnded.newBuilder().setReason(EndReason.CALLER_HANGUP).setDurationMs(durationMs)
                .setUsage(Usage.newBuilder().build()).build();
    }

    private static SessionStarted startedFor(String tenant) {
        return SessionStarted.newBuilder().setTransport(Transport.SIMULATED).setTenant(tenant).build();
    }

    /** A clock the test moves on. */

    @Test
    void anEndedSessionAnotherTenantsNewSessionReplacesStaysWithItsTenantUntilEvicted() {
        MovableClock clock = new MovableClock(NOW);
        LiveSessionRegistry registry = new LiveSessionRegistry(clock, Duration.ofHours(24));
        registry.apply(event("r", "a1", NOW.minus(Duration.ofHours(3)), startedFor("acme")));
        registry.apply(event("r", "a1", NOW.minus(Duration.ofHours(2)), ended(1000)));
        registry.apply(event("r", "g1", NOW.minus(Duration.ofHours(1)), startedFor("globex")));

        assertThat(registry.find("r").orElseThrow().sessionId()).isEqualTo("g1");
        assertThat(registry.find("r", "acme"::equals).orElseThrow().sessionId()).isEqualTo("a1");
        assertThat(registry.find("r", "globex"::equals).orElseThrow().sessionId()).isEqualTo("g1");
        assertThat(registry.find("r", "initech"::equals)).isEmpty();
        assertThat(registry.all()).extracting(LiveSession::sessionId).containsExactly("g1", "a1");
        assertThat(registry.count(SessionState.ENDED)).isEqualTo(1);

        // A day after it ended it is forgotten; the current session stays.
        clock.set(NOW.plus(Duration.ofHours(23)));
        assertThat(registry.evictEnded()).isEqualTo(1);
        assertThat(registry.find("r", "acme"::equals)).isEmpty();
        assertThat(registry.find("r").orElseThrow().sessionId()).isEqualTo("g1");
    }

    @Test
    void anotherTenantsSessionStartedWhileTheRoomsRunsNeitherReplacesNorReachesItAndTakesOverOnceItEnds() {
        registry.apply(event("r", "a1", NOW.minusSeconds(60), startedFor("acme")));
        registry.apply(event("r", "g1", NOW.minusSeconds(50), startedFor("globex")));

        // Acme's call stays Acme's: found, steered and listed as before.
        assertThat(registry.find("r").orElseThrow().sessionId()).isEqualTo("a1");
        assertThat(registry.findCurrent("r", "acme"::equals).orElseThrow().sessionId()).isEqualTo("a1");
        // Globex sees and steers only its own.
        assertThat(registry.findCurrent("r", "globex"::equals).orElseThrow().sessionId()).isEqualTo("g1");
        assertThat(registry.find("r", "globex"::equals).orElseThrow().sessionId()).isEqualTo("g1");
        assertThat(registry.findCurrent("r", "initech"::equals)).isEmpty();
        assertThat(registry.count(SessionState.LIVE)).isEqualTo(2);
        // An event of the room without a session id is about Acme's session, never the contested one.
        registry.apply(event("r", null, NOW.minusSeconds(40), CallEnded.newBuilder().setReason(EndReason.OPERATOR_HANGUP)
                .setMethod(HangupMethod.DELETE_ROOM).build()));
        assertThat(registry.findCurrent("r", "acme"::equals).orElseThrow().state()).isEqualTo(SessionState.ENDING);
        assertThat(registry.findCurrent("r", "globex"::equals).orElseThrow().state()).isEqualTo(SessionState.LIVE);

        // Once Acme's session ends, Globex's becomes the room's; Acme keeps its record of its call.
        registry.apply(event("r", "a1", NOW.minusSeconds(30), ended(30_000)));
        assertThat(registry.find("r").orElseThrow().sessionId()).isEqualTo("g1");
        assertThat(registry.find("r", "acme"::equals).orElseThrow().state()).isEqualTo(SessionState.ENDED);
        assertThat(registry.findCurrent("r", "acme"::equals)).isEmpty();
    }

    @Test
    void aContestedSessionThatEndsFirstLeavesTheRoomsSessionAlone() {
        registry.apply(event("r", "a1", NOW.minusSeconds(60), startedFor("acme")));
        registry.apply(event("r", "g1", NOW.minusSeconds(50), startedFor("globex")));
        registry.apply(event("r", "g1", NOW.minusSeconds(40), ended(10_000)));

        assertThat(registry.find("r").orElseThrow().sessionId()).isEqualTo("a1");
        assertThat(registry.find("r").orElseThrow().state()).isEqualTo(SessionState.LIVE);
        assertThat(registry.findCurrent("r", "globex"::equals)).isEmpty();
        assertThat(registry.find("r", "globex"::equals).orElseThrow().state()).isEqualTo(SessionState.ENDED);
    }

    @Test
    void theSessionAnEventNamesIsFoundWhicheverTenantsItIs() {
        registry.apply(event("r", "a1", NOW.minusSeconds(60), startedFor("acme")));
        registry.apply(event("r", "a1", NOW.minusSeconds(55), ended(5_000)));
        registry.apply(event("r", "g1", NOW.minusSeconds(50), startedFor("globex")));
        registry.apply(event("r", "i1", NOW.minusSeconds(40), startedFor("initech")));

        assertThat(registry.session("r", "a1").orElseThrow().tenant()).as("displaced").isEqualTo("acme");
        assertThat(registry.session("r", "g1").orElseThrow().tenant()).as("current").isEqualTo("globex");
        assertThat(registry.session("r", "i1").orElseThrow().tenant()).as("contested").isEqualTo("initech");
        assertThat(registry.session("r", null).orElseThrow().sessionId()).as("no id: the room's current").isEqualTo("g1");
        assertThat(registry.session("r", "x1")).isEmpty();
        assertThat(registry.session("other", "a1")).isEmpty();
        assertThat(registry.knows("r", "a1")).isTrue();
        assertThat(registry.knows("r", "i1")).isTrue();
        assertThat(registry.knows("r", "x1")).isFalse();
        assertThat(registry.knows("r", null)).isFalse();
    }

    @Test
    void theSameTenantsNextSessionOfARoomReplacesItsEndedOne() {
        registry.apply(event("r", "a1", NOW.minusSeconds(60), startedFor("acme")));
        registry.apply(event("r", "a1", NOW.minusSeconds(50), ended(10_000)));
        registry.apply(event("r", "a2", NOW.minusSeconds(10), startedFor("acme")));
        assertThat(registry.all()).extracting(LiveSession::sessionId).containsExactly("a2");
    }

    @Test
    void aRedeliveredStartDoesNotReviveAnEndedSession() {
        var start = event("r", "s1", NOW.minusSeconds(60), started());
        registry.apply(start);
        registry.apply(event("r", "s1", NOW.minusSeconds(10), ended(50_000)));
        registry.apply(start);
        assertThat(registry.find("r").orElseThrow().state()).isEqualTo(SessionState.ENDED);
    }

    @Test
    void eventsWithoutSessionIdConcernTheLatestSessionAndOthersAreIgnored() {
        registry.apply(event("r", "s1", NOW.minusSeconds(60), started()));
        registry.apply(event("r", "s1", NOW.minusSeconds(50), ParticipantJoined.newBuilder().setIdentity("caller")
                .setKind(ParticipantKind.SIP).build()));
        registry.apply(event("r", "old", NOW.minusSeconds(40), ended(1000)));
        assertThat(registry.find("r").orElseThrow().state()).as("another session's end").isEqualTo(SessionState.LIVE);
        registry.apply(event("r", null, NOW.minusSeconds(30), CallEnded.newBuilder().setReason(EndReason.MAX_DURATION).build()));
        assertThat(registry.find("r").orElseThrow().state()).isEqualTo(SessionState.ENDING);
        assertThat(registry.find("r").orElseThrow().callEnd().reason()).isEqualTo(EndReason.MAX_DURATION);
    }

    @Test
    void anEndWithoutAKnownStartIsRecordedUnlessTheRoomHasANewerSession() {
        registry.apply(event("unknown-start", "s1", NOW.minusSeconds(5), ended(30_000)));
        LiveSession ended = registry.find("unknown-start").orElseThrow();
        assertThat(ended.state()).isEqualTo(SessionState.ENDED);
        assertThat(ended.startedAt()).isEqualTo(NOW.minusSeconds(35));

        registry.apply(event("busy", "new", NOW.minusSeconds(10), started()));
        registry.apply(event("busy", "old", NOW.minusSeconds(5), ended(60_000)));
        assertThat(registry.find("busy").orElseThrow().sessionId()).isEqualTo("new");
    }

    @Test
    void endedSessionsAreEvictedAfterTheRetentionAndOldOnesAreNotEvenKept() {
        MovableClock clock = new MovableClock(NOW);
        LiveSessionRegistry registry = new LiveSessionRegistry(clock, Duration.ofHours(24));
        registry.apply(event("recent", "s1", NOW.minus(Duration.ofHours(2)), started()));
        registry.apply(event("recent", "s1", NOW.minus(Duration.ofHours(1)), ended(1000)));
        registry.apply(event("ancient", "s2", NOW.minus(Duration.ofDays(3)), started()));
        registry.apply(event("ancient", "s2", NOW.minus(Duration.ofDays(2)), ended(1000)));
        registry.apply(event("live", "s3", NOW.minus(Duration.ofDays(2)), started()));
        assertThat(registry.find("ancient")).as("replayed history past the retention").isEmpty();

        clock.set(NOW.plus(Duration.ofHours(22)));
        assertThat(registry.evictEnded()).isZero();
        assertThat(registry.find("recent")).isPresent();

        clock.set(NOW.plus(Duration.ofHours(24)));
        assertThat(registry.evictEnded()).isEqualTo(1);
        assertThat(registry.find("recent")).isEmpty();
        assertThat(registry.find("live")).as("live sessions are never evicted").isPresent();
        assertThat(registry.count(SessionState.LIVE)).isEqualTo(1);
    }
}
