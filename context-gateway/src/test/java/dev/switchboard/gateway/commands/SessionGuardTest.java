package dev.switchboard.gateway.commands;

import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** An unknown room is "no such session" only once the gateway has read every session event there was. */
class SessionGuardTest {
    private final LiveSessionRegistry registry = new LiveSessionRegistry(Clock.systemUTC(), Duration.ofHours(1));
    private final Caller operator = new Caller("alice", Caller.DEFAULT_TENANT, Set.of("calls:control"), "alice");

    @Test
    void beforeEverySessionWasReadAnUnknownRoomMayStillBeLive() {
        var refused = catchThrowableOfType(CommandRefused.class,
                () -> new SessionGuard(registry, () -> false).require("room-1", null, false, operator));

        assertThat(refused.refusal()).isEqualTo(CommandRefused.Refusal.CATCHING_UP);
        assertThat(refused.getMessage()).contains("try again shortly");
    }

    @Test
    void onceEverySessionWasReadAnUnknownRoomHasNoSession() {
        var refused = catchThrowableOfType(CommandRefused.class,
                () -> new SessionGuard(registry, () -> true).require("room-1", null, false, operator));

        assertThat(refused.refusal()).isEqualTo(CommandRefused.Refusal.NO_SESSION);
    }
}
