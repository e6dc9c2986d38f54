package dev.switchboard.worker.livekit;

import dev.switchboard.livekit.ffi.AudioSource;
import dev.switchboard.worker.voice.AudioOutput;
import dev.switchboard.worker.voice.audio.MonoAudio;

import java.time.Duration;

/**
 * The agent's audio into a LiveKit room: frames are captured into the engine's audio source, whose queue plays
 * them out in real time (so capturing blocks once the queue is full: that paces synthesis). The playout position
 * is what was written minus what the engine still has queued.
 */
final class LiveKitAudioOutput implements AudioOutput {
    private final AudioSource source;
    private long written;

    LiveKitAudioOutput(AudioSource source) {
        this.source = source;
    }

    @Override
    public int sampleRate() {
        return source.sampleRate();
    }

    @Override
    public void write(MonoAudio frame) {
        source.captureFrame(frame.samples(), frame.length());
        synchronized (this) {
            written += frame.length();
        }
    }

    @Override
    public void clear() {
        source.clearQueue();
    }

    @Override
    public synchronized long writtenSamples() {
        return written;
    }

    @Override
    public synchronized long playedSamples() {
        long queued = source.queuedDuration().toNanos() * source.sampleRate() / 1_000_000_000L;
        return Math.max(0, written - queued);
    }

    @Override
    public void awaitPlayed(long sample) throws InterruptedException {
        while (playedSamples() < sample) {
            Thread.sleep(Duration.ofMillis(10));
        }
    }
}
