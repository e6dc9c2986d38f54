package dev.switchboard.worker.voice.audio;

import java.util.Arrays;

/**
 * Streaming sample-rate conversion of mono PCM with a windowed-sinc low-pass filter (a Blackman window over
 * {@link #HALF_TAPS} zero crossings of the lower rate on each side), so that going down from 24 or 48 kHz to
 * 16 kHz does not fold the upper band back into speech.
 *
 * <p>Polyphase: the output positions fall on {@code to / gcd} distinct fractions of an input sample, so each
 * fraction's filter is computed once and an output sample costs one dot product. The tail of each chunk is
 * kept, so a stream cut into frames resamples exactly like one long buffer. Not thread-safe: one per stream.
 */
public final class Resampler {
    static final int HALF_TAPS = 16;

    private final int from;
    private final int to;
    private final int up;           // L: output positions advance by `down` input steps of size 1/up
    private final int down;         // M
    private final int halfWidth;    // the filter's half length, in input samples
    private final double[][] phases;
    private double[] history;
    private long position;          // next output position, in 1/up input samples, relative to history start

    public Resampler(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("rates must be positive");
        }
        this.from = fromRate;
        this.to = toRate;
        int gcd = gcd(fromRate, toRate);
        this.up = toRate / gcd;
        this.down = fromRate / gcd;
        double ratio = Math.min(1.0, (double) toRate / fromRate);
        double cutoff = ratio * 0.95;
        // Going down, the filter must span as many zero crossings of the new rate, so it grows by the ratio.
        this.halfWidth = (int) Math.ceil(HALF_TAPS / ratio);
        this.phases = new double[up][2 * halfWidth];
        for (int phase = 0; phase < up; phase++) {
            double fraction = (double) phase / up;
            double sum = 0;
            for (int k = -halfWidth + 1; k <= halfWidth; k++) {
                double x = k - fraction;
                double w = sinc(x * cutoff) * blackman(x / halfWidth);
                phases[phase][k + halfWidth - 1] = w;
                sum += w;
            }
            for (int i = 0; i < phases[phase].length; i++) {
                phases[phase][i] /= sum; // unity gain at DC
            }
        }
        this.history = new double[halfWidth];
        this.position = (long) halfWidth * up; // start once the filter has its left half
    }

    public int fromRate() {
        return from;
    }

    public int toRate() {
        return to;
    }

    /** Converts the next chunk; the output may differ from the exact ratio by a sample until the stream ends. */
    public MonoAudio process(MonoAudio input) {
        if (input.sampleRate() != from) {
            throw new IllegalArgumentException("expected " + from + " Hz, got " + input.sampleRate() + " Hz");
        }
        if (from == to) {
            return input;
        }
        double[] buffer = Arrays.copyOf(history, history.length + input.length());
        short[] in = input.samples();
        for (int i = 0; i < in.length; i++) {
            buffer[history.length + i] = in[i];
        }
        long limit = (long) (buffer.length - halfWidth) * up; // the filter needs halfWidth samples to the right
        short[] out = new short[(int) Math.max(0, (limit - position + down - 1) / down)];
        int produced = 0;
        while (position < limit) {
            int center = (int) (position / up);
            double[] taps = phases[(int) (position % up)];
            int first = center - halfWidth + 1;
            double sum = 0;
            for (int k = 0; k < taps.length; k++) {
                sum += buffer[first + k] * taps[k];
            }
            out[produced++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
            position += down;
        }
        int keepFrom = (int) Math.max(0, position / up - halfWidth);
        history = Arrays.copyOfRange(buffer, keepFrom, buffer.length);
        position -= (long) keepFrom * up;
        return new MonoAudio(produced == out.length ? out : Arrays.copyOf(out, produced), to);
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /** The Blackman window over [-1, 1]. */
    private static double blackman(double x) {
        double n = (x + 1) / 2.0;
        if (n < 0 || n > 1) {
            return 0;
        }
        return 0.42 - 0.5 * Math.cos(2 * Math.PI * n) + 0.08 * Math.cos(4 * Math.PI * n);
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
