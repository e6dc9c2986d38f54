package dev.switchboard.gateway.commands;

import dev.switchboard.events.CallControlRequest;

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
}
