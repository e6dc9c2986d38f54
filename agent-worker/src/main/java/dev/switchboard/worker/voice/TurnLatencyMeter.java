package dev.switchboard.worker.voice;

import dev.switchboard.worker.concurrent.WorkerThreads;

import java.util.function.Consumer;

/**
 * Measures how fast the agent answered a caller's turn ({@link TurnLatency}): from when the VAD heard the caller
 * stop to the turn being committed, the LLM's first token, the first synthesized audio and the first audio played.
 * Only answers to a caller's turn are measured, not a Say or a reply to injected context.
 */
final class TurnLatencyMeter {
    private final AudioOutput output;
    private final Consumer<TurnLatency> latencies;

    private volatile long speechEndedNanos;   // of the turn being answered; 0 once reported
    private volatile long committedNanos;
    private volatile long firstTokenNanos;
    private volatile long firstAudioNanos;

    TurnLatencyMeter(AudioOutput output, Consumer<TurnLatency> latencies) {
        this.output = output;
        this.latencies = latencies;
    }

    /** A caller's turn was committed; {@code speechEndedNanos} is when the VAD heard them stop. */
    void turnCommitted(long speechEndedNanos) {
        this.speechEndedNanos = speechEndedNanos;
        this.committedNanos = System.nanoTime();
        this.firstTokenNanos = 0;
        this.firstAudioNanos = 0;
    }

    /** Text of the answer arrived from the LLM. */
    void textArrived(String text) {
        if (firstTokenNanos == 0 && !text.isEmpty()) {
            firstTokenNanos = System.nanoTime();
        }
    }

    /** An utterance's first audio was written to the output at {@code sample}; reported once it was played. */
    void firstAudioWritten(long sample) {
        firstAudioNanos = System.nanoTime();
        WorkerThreads.start("turn-latency", () -> reportWhenPlayed(sample));
    }

    private void reportWhenPlayed(long firstSample) {
        long speechEnded = speechEndedNanos;
        if (speechEnded == 0) {
            return; // spoken without a caller turn (Say, a reply to injected context)
        }
        speechEndedNanos = 0;
        long token = firstTokenNanos;
        long audio = firstAudioNanos;
        long committed = committedNanos;
        try {
            output.awaitPlayed(firstSample + 1);
        } catch (InterruptedException e) {
            return;
        }
        long played = System.nanoTime();
        latencies.accept(new TurnLatency(millis(speechEnded, committed), millis(speechEnded, token), millis(speechEnded, audio),
                millis(speechEnded, played)));
    }

    private static long millis(long from, long to) {
        return to == 0 ? -1 : (to - from) / 1_000_000;
    }
}
