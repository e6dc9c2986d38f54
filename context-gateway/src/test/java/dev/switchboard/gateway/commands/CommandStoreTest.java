package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandResult;
import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupMethod;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.gateway.sessions.CallEnd;
import dev.switchboard.schemas.client.Commands;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class CommandStoreTest {
    private static final Issuer OPERATOR = Issuer.newBuilder().setKind(IssuerKind.OPERATOR).setId("op").build();
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T10:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final Commands commands = new Commands(OPERATOR, Duration.ofSeconds(30), clock);

    private TrackedCommand say(String room) {
        return TrackedCommand.issued(commands.say(room, "hi"), "session-1", clock.instant());
    }

    private static CommandResult result(TrackedCommand command, CommandStatus status) {
        return CommandResult.newBuilder().setCommandId(command.commandId()).setRoom(command.room())
                .setCommandType(command.type()).setStatus(status).setDecidedAt(Instant.now()).build();
    }

    private TrackedCommand sayFor(String tenant, String room) {
        return TrackedCommand.issued(commands.session(Commands.newCommandId(), room, dev.switchboard.events.Say.newBuilder()
                .setText("hi").build(), Duration.ofSeconds(30), tenant), "session-1", clock.instant());
    }

    @Test
    void aTenantSendingManyCommandsPushesOutOnlyItsOwn() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        TrackedCommand globexOld = store.trackIfAbsent(sayFor("globex", "globex-1"));
        TrackedCommand globexNew = store.trackIfAbsent(sayFor("globex", "globex-1"));
        List<TrackedCommand> acme = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            acme.add(store.trackIfAbsent(sayFor("acme", "acme-1")));
        }

        assertThat(store.size()).isEqualTo(10);
        assertThat(store.find(globexOld.commandId())).as("older than every acme command, still remembered").isPresent();
        assertThat(store.find(globexNew.commandId())).isPresent();
        assertThat(store.find(acme.get(41).commandId())).as("acme's oldest went").isEmpty();
        assertThat(store.find(acme.get(42).commandId())).isPresent();
        assertThat(store.find(acme.getLast().commandId())).isPresent();

        // Once acme is no longer the busiest, the oldest of whoever is goes first.
        store.forget(acme.get(45));
        for (int i = 0; i < 8; i++) {
            store.trackIfAbsent(sayFor("initech", "initech-1"));
        }
        assertThat(store.size()).isEqualTo(10);
        assertThat(store.find(globexOld.commandId())).isPresent();
        assertThat(store.forRoom("acme-1")).as("acme gave up commands until initech was as busy").hasSize(4);
        assertThat(store.forRoom("initech-1")).hasSize(4);
    }

    @Test
    void theFirstResultOfACommandWinsAndCompletesItsWaiters() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        TrackedCommand command = store.trackIfAbsent(say("room-a"));
        var waiter = command.whenDecided().toCompletableFuture();

        store.decide(result(command, CommandStatus.APPLIED));
        store.decide(result(command, CommandStatus.EXPIRED));

        assertThat(waiter).isCompletedWithValueMatching(d -> d.outcome() == CommandOutcome.APPLIED);
        assertThat(store.find(command.commandId()).flatMap(TrackedCommand::decision).orElseThrow().outcome())
                .isEqualTo(CommandOutcome.APPLIED);
    }

    @Test
    void aWaiterThatGivesUpCancelsNothingShared() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        TrackedCommand command = store.trackIfAbsent(say("room-a"));
        command.whenDecided().toCompletableFuture().cancel(true);
        store.decide(result(command, CommandStatus.REJECTED));
        assertThat(command.whenDecided().toCompletableFuture()).isCompletedWithValueMatching(d -> d.outcome() == CommandOutcome.REJECTED);
    }

    @Test
    void aCommandIsTrackedOnceAndResultsOfOthersCommandsAreKept() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        TrackedCommand first = say("room-a");
        assertThat(store.trackIfAbsent(first)).isSameAs(first);
        TrackedCommand sameId = TrackedCommand.issued(commands.session(first.commandId(), "room-a",
                dev.switchboard.events.Interrupt.newBuilder().build(), Duration.ofSeconds(5)), "session-1", clock.instant());
        assertThat(store.trackIfAbsent(sameId)).isSameAs(first);

        CommandResult foreign = CommandResult.newBuilder().setCommandId("from-elsewhere").setRoom("room-b")
                .setCommandType("Say").setStatus(CommandStatus.UNKNOWN_SESSION).setDecidedAt(Instant.now()).build();
        store.decide(foreign);
        TrackedCommand observed = store.find("from-elsewhere").orElseThrow();
        assertThat(observed.room()).isEqualTo("room-b");
        assertThat(observed.issuedAt()).isNull();
        assertThat(observed.decision().orElseThrow().outcome()).isEqualTo(CommandOutcome.UNKNOWN_SESSION);
    }

    @Test
    void aCommandReadAfterItsResultGetsWhatTheCommandSaysAndKeepsTheDecision() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        var sent = commands.say("room-a", "hi");
        TrackedCommand fromResult = store.decide(CommandResult.newBuilder().setCommandId(sent.getCommandId())
                .setRoom("room-a").setCommandType("Say").setStatus(CommandStatus.APPLIED).setSessionId("session-w")
                .setDecidedAt(Instant.now()).build());
        assertThat(fromResult.issuer()).as("a result does not say who sent it").isNull();
        List<TrackedCommand> told = new ArrayList<>();
        store.onTracked(told::add);

        now.set(now.get().plusSeconds(2));
        TrackedCommand learnt = store.learn(TrackedCommand.seen(sent, "session-r", "acme", clock.instant()), true).orElseThrow();

        assertThat(store.find(sent.getCommandId())).contains(learnt);
        assertThat(learnt.issuer()).isEqualTo(OPERATOR);
        assertThat(learnt.issuedAt()).isEqualTo(sent.getIssuedAt());
        assertThat(learnt.expiresAt()).isEqualTo(sent.getExpiresAt());
        assertThat(learnt.fingerprint()).isNotNull();
        assertThat(learnt.tenant()).isEqualTo("acme");
        assertThat(learnt.sessionId()).as("the worker's word").isEqualTo("session-w");
        assertThat(learnt.decision().orElseThrow().outcome()).as("never pending again").isEqualTo(CommandOutcome.APPLIED);
        assertThat(learnt.trackedAt()).as("its place in the oldest-first order").isEqualTo(fromResult.trackedAt());
        assertThat(told).as("the live stream hears of it").containsExactly(learnt);

        // Read again (a replay): nothing changes.
        assertThat(store.learn(TrackedCommand.seen(sent, null, "acme", clock.instant()), true)).isEmpty();
        assertThat(store.find(sent.getCommandId())).contains(learnt);
    }

    @Test
    void aCommandReadBeforeItsResultIsPendingThenDecidedWithWhatItSaid() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        var sent = commands.say("room-a", "hi");
        TrackedCommand pending = store.learn(TrackedCommand.seen(sent, "session-1", "acme", clock.instant()), true).orElseThrow();
        assertThat(pending.isDecided()).isFalse();

        TrackedCommand decided = store.decide(CommandResult.newBuilder().setCommandId(sent.getCommandId()).setRoom("room-a")
                .setCommandType("Say").setStatus(CommandStatus.REJECTED).setDecidedAt(Instant.now()).build());

        assertThat(decided).isSameAs(pending);
        assertThat(decided.issuer()).isEqualTo(OPERATOR);
        assertThat(decided.tenant()).isEqualTo("acme");
        assertThat(decided.decision().orElseThrow().outcome()).isEqualTo(CommandOutcome.REJECTED);
    }

    @Test
    void aCommandReadAfterItsExpiryOnlyCompletesAResultReadBefore() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        var unknown = commands.say("room-a", "late");
        assertThat(store.learn(TrackedCommand.seen(unknown, null, "default", clock.instant()), false)).isEmpty();
        assertThat(store.find(unknown.getCommandId())).as("not pending with nothing to decide it").isEmpty();

        var answered = commands.say("room-a", "late but answered");
        store.decide(CommandResult.newBuilder().setCommandId(answered.getCommandId()).setRoom("room-a").setCommandType("Say")
                .setStatus(CommandStatus.EXPIRED).setDecidedAt(Instant.now()).build());
        assertThat(store.learn(TrackedCommand.seen(answered, null, "default", clock.instant()), false)).isPresent();
        assertThat(store.find(answered.getCommandId()).orElseThrow().issuer()).isEqualTo(OPERATOR);
    }

    @Test
    void theStoreIsBoundedBySizeAndAge() {
        CommandStore store = new CommandStore(clock, 2, Duration.ofMinutes(10));
        TrackedCommand oldest = store.trackIfAbsent(say("room-a"));
        now.set(now.get().plus(Duration.ofMinutes(6)));
        TrackedCommand middle = store.trackIfAbsent(say("room-a"));
        TrackedCommand newest = store.trackIfAbsent(say("room-a"));
        assertThat(store.find(oldest.commandId())).as("over the size").isEmpty();
        assertThat(store.size()).isEqualTo(2);

        now.set(now.get().plus(Duration.ofMinutes(5)));
        assertThat(store.evictOld()).isZero();
        now.set(now.get().plus(Duration.ofMinutes(6)));
        assertThat(store.evictOld()).isEqualTo(2);
        assertThat(store.find(middle.commandId())).isEmpty();
        assertThat(store.find(newest.commandId())).isEmpty();
    }

    @Test
    void callEndedDecidesThePendingHangupsOfThatRoomOnly() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        var hangupA = store.trackIfAbsent(TrackedCommand.issued(commands.hangup("room-a", EndReason.OPERATOR_HANGUP, null), "s-a", clock.instant()));
        var hangupB = store.trackIfAbsent(TrackedCommand.issued(commands.hangup("room-b", EndReason.OPERATOR_HANGUP, null), "s-b", clock.instant()));
        var sayA = store.trackIfAbsent(say("room-a"));

        var end = new CallEnd(clock.instant(), EndReason.OPERATOR_HANGUP, OPERATOR, null, null, HangupMethod.DELETE_ROOM);
        assertThat(store.callEnded("room-a", "s-a", end)).containsExactly(hangupA);
        assertThat(hangupA.decision().orElseThrow().callEnd()).isEqualTo(end);
        assertThat(hangupB.isDecided()).isFalse();
        assertThat(sayA.isDecided()).as("only hang-ups are decided by CallEnded").isFalse();
        assertThat(store.callEnded("room-b", "another-session", end)).as("a CallEnded of another session").isEmpty();
    }

    @Test
    void aHangupKafkaDidNotAcknowledgeIsForgottenUntilItsCallEndedNamesIt() {
        CommandStore store = new CommandStore(clock, 10, Duration.ofHours(1));
        var hangup = store.trackIfAbsent(TrackedCommand.issued(commands.hangup("room-u", EndReason.OPERATOR_HANGUP, null), "s-u", clock.instant()));

        store.forgetUnconfirmedHangup(hangup);
        assertThat(store.find(hangup.commandId())).as("a retry with its key publishes it again").isEmpty();

        var elsewhere = new CallEnd(clock.instant(), EndReason.OPERATOR_HANGUP, OPERATOR, null, "another-hangup", HangupMethod.DELETE_ROOM);
        store.callEnded("room-x", "s-x", elsewhere);
        assertThat(store.find(hangup.commandId())).as("another call's end").isEmpty();

        var end = new CallEnd(clock.instant(), EndReason.OPERATOR_HANGUP, OPERATOR, null, hangup.commandId(), HangupMethod.DELETE_ROOM);
        assertThat(store.callEnded("room-u", "s-u", end)).containsExactly(hangup);
        assertThat(store.find(hangup.commandId())).as("it reached the call after all").hasValueSatisfying(known ->
                assertThat(known.decision().orElseThrow().callEnd()).isEqualTo(end));
    }

    @Test
    void aReusedRoomsSessionHasOnlyItsOwnCommands() {
        CommandStore store = new CommandStore(clock, 20, Duration.ofHours(1));
        Instant firstStarted = now.get();
        var injected = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "first"), "first", clock.instant()));
        store.decide(CommandResult.newBuilder(result(injected, CommandStatus.APPLIED)).setSessionId("first").build());
        var hangup = store.trackIfAbsent(TrackedCommand.issued(commands.hangup("reuse-1", EndReason.OPERATOR_HANGUP, null),
                "first", clock.instant()));
        store.callEnded("reuse-1", "first", new CallEnd(clock.instant(), EndReason.OPERATOR_HANGUP, OPERATOR, null,
                hangup.commandId(), HangupMethod.DELETE_ROOM));
        now.set(now.get().plusSeconds(10));
        var noSessionThen = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "unnamed"), null, clock.instant()));
        now.set(now.get().plusSeconds(10));
        Instant firstEnded = now.get();
        var pendingOfFirst = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "late"), "first", clock.instant()));

        now.set(now.get().plusSeconds(60));
        Instant secondStarted = now.get();
        var pending = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "second"), "second", clock.instant()));
        // The worker's word wins over the registry's guess when the command was read: it was the second session's.
        var guessedWrong = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "guessed"), "first", clock.instant()));
        store.decide(CommandResult.newBuilder(result(guessedWrong, CommandStatus.APPLIED)).setSessionId("second").build());
        var resultOnly = store.decide(CommandResult.newBuilder().setCommandId("elsewhere").setRoom("reuse-1").setSessionId("second")
                .setCommandType("Say").setStatus(CommandStatus.APPLIED).setDecidedAt(Instant.now()).build());
        now.set(now.get().plusSeconds(1));
        var noSessionNow = store.trackIfAbsent(TrackedCommand.issued(commands.say("reuse-1", "unnamed"), null, clock.instant()));
        store.trackIfAbsent(TrackedCommand.issued(commands.say("another-room", "x"), "second", clock.instant()));

        assertThat(store.forSession("reuse-1", "second", secondStarted, null))
                .containsExactly(pending, guessedWrong, resultOnly, noSessionNow);
        assertThat(store.forSession("reuse-1", "first", firstStarted, firstEnded))
                .containsExactly(injected, hangup, noSessionThen, pendingOfFirst);
    }
}
