package dev.switchboard.controller.dial;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * Outbound calls and transfers over LiveKit SIP. Environment variables: SWITCHBOARD_SIP_OUTBOUND_TRUNK,
 * SWITCHBOARD_SIP_FROM_NUMBER, SWITCHBOARD_SIP_MAX_CALL_DURATION, SWITCHBOARD_SIP_ANSWER_GRACE,
 * SWITCHBOARD_SIP_TRANSFER_TIMEOUT.
 */
@ConfigMapping(prefix = "switchboard.sip")
public interface SipSettings {

    /** The LiveKit outbound trunk ({@code ST_...}) of dials that name none. */
    Optional<String> outboundTrunk();

    /** The caller id of dials that name none; unset: the trunk's own number. */
    Optional<String> fromNumber();

    /** The longest an outbound call may last when the dial says nothing; unset: LiveKit's default. */
    Optional<Duration> maxCallDuration();

    /**
     * How much longer than the ringing timeout the controller waits for LiveKit's answer to CreateSIPParticipant.
     * Without an answer by then the outcome is unknown: reported as FAILED, the room deleted, never dialled again.
     */
    @WithDefault("15s")
    Duration answerGrace();

    /** How long a transfer may take (LiveKit's own limit is 30 s); the controller waits this plus the grace. */
    @WithDefault("30s")
    Duration transferTimeout();
}
