package dev.switchboard.livekit.ffi;

import java.time.Duration;

/**
 * An audio frame as the media engine exchanges it: 16-bit PCM, channels interleaved, at the track's rate. The
 * binding copies frames out of the engine; this array is Java's own. (The voice pipeline's audio is
 * {@code MonoAudio}, one channel.)
 */
public record EngineAudioFrame(short[] data, int sampleRate, int channels, int samplesPerChannel) {

    public EngineAudioFrame {
        if (data.length < samplesPerChannel * channels) {
            throw new IllegalArgumentException("data holds " + data.length + " samples, frame needs " + samplesPerChannel * channels);
        }
    }

    public Duration duration() {
        return Duration.ofNanos(samplesPerChannel * 1_000_000_000L / sampleRate);
    }

    /** Root mean square level, 0..1 of full scale. */
    public double rms() {
        int n = samplesPerChannel * channels;
        if (n == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double s = data[i] / 32768.0;
            sum += s * s;
        }
        return Math.sqrt(sum / n);
    }

    /** Level in dB relative to full scale (−∞ for silence). */
    public double dbfs() {
        return 20 * Math.log10(rms());
    }
}
