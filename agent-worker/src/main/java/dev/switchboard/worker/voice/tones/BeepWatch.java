package dev.switchboard.worker.voice.tones;

import dev.switchboard.worker.voice.audio.MonoAudio;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Listens for voicemail beeps in a caller's audio and tells whoever waits when one has ended, so the agent's message
 * starts once the machine records. The audio arrives on the caller's audio thread, the waiters on the session's.
 */
public final class BeepWatch {
    private BeepDetector detector; // guarded by this; made for the rate of the first audio
    private long lastEndedNanos;   // guarded by this
    private boolean anyEnded;      // guarded by this
    private final List<CompletableFuture<Void>> waiting = new ArrayList<>(); // guarded by this

    /** The caller's audio, in order. */
    public void heard(MonoAudio audio) {
        List<CompletableFuture<Void>> done;
        synchronized (this) {
            if (detector == null || detector.sampleRate() != audio.sampleRate()) {
                detector = new BeepDetector(audio.sampleRate());
            }
            if (detector.feed(audio) != BeepDetector.Heard.BEEP_ENDED) {
                return;
            }
            lastEndedNanos = System.nanoTime();
            anyEnded = true;
            done = List.copyOf(waiting);
            waiting.clear();
        }
        done.forEach(waiter -> waiter.complete(null)); // outside the lock: a waiter may go on to speak
    }

    /** Completes when a beep has ended: at once if one ended within {@code recently}, else when the next one does. */
    public synchronized CompletableFuture<Void> ended(Duration recently) {
        if (anyEnded && System.nanoTime() - lastEndedNanos <= recently.toNanos()) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> next = new CompletableFuture<>();
        waiting.add(next);
        return next;
    }
}
