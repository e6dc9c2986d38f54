package dev.switchboard.worker.session;

import dev.switchboard.events.Transport;

import java.time.Duration;
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
     * Starts an utterance whose text arrives in pieces, as the LLM streams it: audio transports start speaking
     * the first sentence before the answer is complete.
     */
    Speech startSpeech(boolean allowInterruptions);

    /**
     * Speaks a whole text. Completes once the last of it was delivered (played out, for audio), with what was
     * actually delivered: less than asked when the speech was interrupted.
     */
    default CompletableFuture<Delivery> speak(String text, boolean allowInterruptions) {
        Speech speech = startSpeech(allowInterruptions);
        speech.append(text);
        speech.finish();
        return speech.delivered();
    }

    /** Stops what is being spoken now (barge-in or an Interrupt command); its {@link #speak} future completes interrupted. */
    void interrupt();

    /** Seconds of the caller's audio sent to speech recognition so far (0 for text transports). */
    default double sttAudioSeconds() {
        return 0;
    }

    /** Whether the caller is talking right now, as voice activity detection hears it (never, on text transports). */
    default boolean callerSpeaking() {
        return false;
    }

    /** Whether the caller is on a phone line that takes keypad tones (DTMF): a SIP caller, not a web one. */
    default boolean hasKeypad() {
        return false;
    }

    /** Sends one keypad tone (0-9, *, #, A-D) to the caller's phone line; only when {@link #hasKeypad()}. */
    default void sendTone(char tone) throws InterruptedException {
        throw new UnsupportedOperationException("this call has no phone keypad");
    }

    /** Starts listening for a voicemail system's beep (the agent leaves its message after it); audio transports only. */
    default void listenForBeep() {
    }

    /** Stops listening for a beep: a person answered, so no message is to be left (the listening costs CPU). */
    default void stopListeningForBeep() {
    }

    /**
     * Completes once a beep listened for has ended: at once if one ended within {@code recently}, else when the next one
     * does. A transport without audio has no beep to wait for: completed.
     */
    default CompletableFuture<Void> beepEnded(Duration recently) {
        return CompletableFuture.completedFuture(null);
    }

    /** The agent leaves the call; called once when the session ends. */
    void leave();

    /** What a {@link #speak} call delivered. {@code durationMs} is how long it took to say. */
    record Delivery(String spokenText, boolean interrupted, long durationMs) {
    }

    /** One utterance being spoken while its text still arrives. */
    interface Speech {
        /** More text of the utterance. */
        void append(String text);

        /** No more text will come; {@link #delivered()} completes once the rest was said. */
        void finish();

        /** Drops the utterance: nothing more of it is said (nothing at all if it had not started). */
        void cancel();

        CompletableFuture<Delivery> delivered();
    }
}
