package dev.switchboard.gateway.commands;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.gateway.config.GatewayConfig;

import java.time.Instant;

/**
 * Watches the call-control requests this instance published (immediate hang-ups, dials), so that one the call
 * controller never answers (none running, or none reading the topic) does not stay PENDING or DIALING forever. An
 * interface here, implemented by the watchdog, because the watchdog depends on this package and not the other way.
 */
public interface CallControlWatch {

    /**
     * Starts watching a request just published.
     *
     * @param sessionId the session a hang-up is for; null for a dial
     * @param tenant    whose the request is, as its answer should name it
     */
    void watch(CallControlRequest request, String sessionId, String tenant);

    /**
     * When a request nobody answered is answered EXPIRED: its expiry plus the grace; for a dial, also its ringing timeout
     * and the time the controller may wait for LiveKit's word, since a controller that took it in time may still be
     * ringing. Until then a dial may still get an outcome.
     */
    static Instant answerDeadline(CallControlRequest request, GatewayConfig.Watchdog config) {
        Instant deadline = request.getExpiresAt().plus(config.expiryGrace());
        return request.getPayload() instanceof DialRequested dial
                ? deadline.plusSeconds(dial.getRingingTimeoutSeconds()).plus(config.dialOutcomeGrace()) : deadline;
    }
}
