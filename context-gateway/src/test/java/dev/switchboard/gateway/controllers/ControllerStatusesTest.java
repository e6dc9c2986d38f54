package dev.switchboard.gateway.controllers;

import dev.switchboard.events.ControllerState;
import dev.switchboard.events.ControllerStatus;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** Which statuses count as recent, and which one of a controller is kept. */
class ControllerStatusesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration INTERVAL = Duration.ofSeconds(5);
    private final ControllerStatuses statuses = new ControllerStatuses(Clock.fixed(NOW, ZoneOffset.UTC));

    private static ControllerStatus status(String id, boolean canDial, Instant sentAt) {
        return ControllerStatus.newBuilder().setControllerId(id).setState(ControllerState.RUNNING).setSentAt(sentAt)
                .setIntervalMs((int) INTERVAL.toMillis()).setCanDial(canDial).setCanTransfer(canDial)
                .setDetail(canDial ? null : "not configured").build();
    }

    @Test
    void aStatusIsRecentFromAFewIntervalsAgoToOneIntervalAhead() {
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW), NOW)).isTrue();
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW.minus(INTERVAL.multipliedBy(3))), NOW)).isTrue();
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW.minus(INTERVAL.multipliedBy(3)).minusMillis(1)), NOW)).isFalse();
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW.plus(INTERVAL)), NOW)).as("clock skew tolerated").isTrue();
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW.plus(INTERVAL).plusMillis(1)), NOW)).isFalse();
        assertThat(ControllerStatuses.isFresh(status("cc", true, NOW.plus(Duration.ofHours(3))), NOW)).isFalse();
        assertThat(ControllerStatuses.isFresh(status("cc", true, Instant.parse("+10000-01-01T00:00:00Z")), NOW)).isFalse();
    }

    @Test
    void aCapableStatusFromTheFutureDoesNotLetDialsThroughWhenTheRecentOnesCannotDial() {
        statuses.heard(status("cc-real", false, NOW));
        statuses.heard(status("cc-forged", true, Instant.parse("+10000-01-01T00:00:00Z")));

        assertThat(statuses.latest("cc-forged")).as("read, and not believed").isPresent();
        assertThat(statuses.whyNoneCanDial()).hasValueSatisfying(why -> assertThat(why).contains("cc-real").doesNotContain("cc-forged"));
    }

    @Test
    void aStatusFromTheFutureDoesNotHideTheLaterRealOnesOfItsController() {
        statuses.heard(status("cc", true, NOW.plus(Duration.ofHours(3))));
        assertThat(statuses.whyNoneCanDial()).as("nothing recent: nothing refused").isEmpty();

        ControllerStatus real = status("cc", false, NOW);
        statuses.heard(real);
        assertThat(statuses.latest("cc")).contains(real);
        assertThat(statuses.whyNoneCanDial()).isPresent();

        // A status within the tolerance still keeps the order of sentAt: an older one read again does not replace it.
        ControllerStatus aheadWithinSkew = status("cc", true, NOW.plusSeconds(2));
        statuses.heard(aheadWithinSkew);
        statuses.heard(status("cc", false, NOW.minusSeconds(5)));
        assertThat(statuses.latest("cc")).contains(aheadWithinSkew);
        assertThat(statuses.whyNoneCanDial()).isEmpty();
    }

    @Test
    void aForgedHugeIntervalKeepsAStatusRecentForAtMostThreeMinutes() {
        Duration max = ControllerStatuses.MAX_INTERVAL.multipliedBy(ControllerStatuses.FRESH_INTERVALS);
        ControllerStatus lastWords = ControllerStatus.newBuilder(status("cc", false, NOW.minus(max))).setIntervalMs(Integer.MAX_VALUE).build();
        ControllerStatus older = ControllerStatus.newBuilder(lastWords).setSentAt(NOW.minus(max).minusMillis(1)).build();
        assertThat(ControllerStatuses.isFresh(lastWords, NOW)).isTrue();
        assertThat(ControllerStatuses.isFresh(older, NOW)).as("a dead controller's forged status ages like a real one").isFalse();

        ControllerStatus ahead = ControllerStatus.newBuilder(lastWords).setSentAt(NOW.plus(ControllerStatuses.MAX_INTERVAL).plusMillis(1)).build();
        assertThat(ControllerStatuses.isFresh(ahead, NOW)).as("nor does it stretch the clock skew tolerated").isFalse();

        statuses.heard(older);
        assertThat(statuses.whyNoneCanDial()).as("nothing recent: nothing refused").isEmpty();
    }
}
