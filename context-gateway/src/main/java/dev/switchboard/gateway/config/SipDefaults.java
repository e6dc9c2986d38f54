package dev.switchboard.gateway.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * The outbound-call defaults the gateway shares with the call controller (the same environment variables:
 * SWITCHBOARD_SIP_OUTBOUND_TRUNK, SWITCHBOARD_SIP_FROM_NUMBER). Without a trunk here or in the request, the gateway
 * does not publish a dial: nothing could place it, so it answers 503 saying what to set.
 */
@ConfigMapping(prefix = "switchboard.sip")
public interface SipDefaults {

    /** The LiveKit outbound trunk ({@code ST_...}) of calls that name none. */
    Optional<String> outboundTrunk();

    /** The caller id of calls that name none; unset: the call controller's, else the trunk's own number. */
    Optional<String> fromNumber();
}
