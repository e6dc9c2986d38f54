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
}
