package dev.switchboard.worker.session;

import dev.switchboard.events.Transport;

import java.util.concurrent.CompletableFuture;

/**
 * How an agent session reaches the caller: a LiveKit room (audio) or the simulated text call. The session
 * runtime knows nothing else about the medium.
 */
public interface CallTransport {

    Transport kind();

    /** The caller's participant identity, recorded on their transcript lines. */
    String callerIdentity();

    /**
     * Speaks to the caller. Completes once the last of it was delivered (played out, for audio), with what was
     * actually delivered: less than asked when the speech was interrupted.
     */
    CompletableFuture<Delivery> speak(String text, boolean allowInterruptions);

    /** Stops what is being spoken now (barge-in or an Interrupt command); its {@link #speak} future completes interrupted. */
    void interrupt();

    /** The agent leaves the call; called once when the session ends. */
    void leave();

    /** What a {@link #speak} call delivered. {@code durationMs} is how long it took to say. */
    record Delivery(String spokenText, boolean interrupted, long durationMs) {
    }
}
