package dev.switchboard.controller.hangup;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Hang-up behaviour. Environment variables: SWITCHBOARD_HANGUP_POLICY, SWITCHBOARD_HANGUP_REMEMBER_FOR,
 * SWITCHBOARD_HANGUP_RETRY_INITIAL_DELAY, SWITCHBOARD_HANGUP_RETRY_MAX_DELAY, SWITCHBOARD_HANGUP_RETRY_BUDGET.
 */
@ConfigMapping(prefix = "switchboard.hangup")
public interface HangupSettings {

    /** What POLICY_DEFAULT means. */
    @WithDefault("DELETE_ROOM")
    HangupPolicy policy();

    /**
     * How long an ended room and a handled command id are remembered: a repeated hang-up within this time calls
     * LiveKit no more and publishes no second CallEnded.
     */
    @WithDefault("10m")
    Duration rememberFor();

    Retry retry();

    interface Retry {
        /** The wait before the first retry; it doubles with each further one. */
        @WithDefault("250ms")
        Duration initialDelay();

        /** The longest wait between two attempts. */
        @WithDefault("5s")
        Duration maxDelay();

        /** No retry starts after this much time since the first attempt; the request then goes to the DLQ. */
        @WithDefault("30s")
        Duration budget();
    }
}
