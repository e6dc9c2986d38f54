package dev.switchboard.worker.voice.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A piece of the voice pipeline's audio: mono 16-bit PCM, a frame or a whole clip. The array is never modified
 * after construction. (What the media engine exchanges is {@code EngineAudioFrame}: interleaved channels.)
 */
public record MonoAudio(short[] samples, int sampleRate) {

    public MonoAudio {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive");
        }
    }

    public int length() {
        return samples.length;
    }

    public long durationMicros() {
        return samples.length * 1_000_000L / sampleRate;
    }

    /** Little-endian 16-bit PCM bytes, the wire format of every provider Switchboard talks to. */
    public byte[] toLittleEndianBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asShortBuffer().put(samples);
        return buffer.array();
    }

    public static MonoAudio fromLittleEndianBytes(byte[] bytes, int offset, int length, int sampleRate) {
        short[] samples = new short[length / 2];
        ByteBuffer.wrap(bytes, offset, samples.length * 2).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(samples);
        return new MonoAudio(samples, sampleRate);
    }

    /** Root-mean-square level in dBFS (0 = full scale, silence is very negative). */
    public double levelDbfs() {
        if (samples.length == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        double sum = 0;
        for (short s : samples) {
            sum += (double) s * s;
        }
        double rms = Math.sqrt(sum / samples.length) / 32768.0;
        return rms == 0 ? Double.NEGATIVE_INFINITY : 20 * Math.log10(rms);
    }

    /** Samples as floats in [-1, 1), the input of the VAD model. */
    public float[] toFloats() {
        float[] floats = new float[samples.length];
        for (int i = 0; i < samples.length; i++) {
            floats[i] = samples[i] / 32768f;
        }
        return floats;
    }
}
