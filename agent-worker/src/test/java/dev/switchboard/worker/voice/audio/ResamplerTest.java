package dev.switchboard.worker.voice.audio;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResamplerTest {

    static MonoAudio tone(double hz, int rate, double seconds, double amplitude) {
        short[] samples = new short[(int) (rate * seconds)];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) Math.round(amplitude * 32767 * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new MonoAudio(samples, rate);
    }

    private static double frequency(MonoAudio frame) {
        int crossings = 0;
        short[] s = frame.samples();
        for (int i = 1; i < s.length; i++) {
            if ((s[i - 1] < 0) != (s[i] < 0)) {
                crossings++;
            }
        }
        return crossings / 2.0 / (s.length / (double) frame.sampleRate());
    }

    private static MonoAudio middle(MonoAudio frame) {
        int quarter = frame.length() / 4;
        return new MonoAudio(Arrays.copyOfRange(frame.samples(), quarter, frame.length() - quarter), frame.sampleRate());
    }

    @Test
    void downsamplingKeepsPitchLevelAndDuration() {
        MonoAudio in = tone(1000, 24_000, 1.0, 0.5);

        MonoAudio out = new Resampler(24_000, 16_000).process(in);

        assertThat(out.sampleRate()).isEqualTo(16_000);
        assertThat(out.length()).isCloseTo(16_000, within(40));
        assertThat(frequency(middle(out))).isCloseTo(1000, within(5.0));
        assertThat(middle(out).levelDbfs()).isCloseTo(middle(in).levelDbfs(), within(0.5));
    }

    @Test
    void upsamplingKeepsPitchAndLevel() {
        MonoAudio in = tone(440, 16_000, 1.0, 0.3);

        MonoAudio out = new Resampler(16_000, 48_000).process(in);

        assertThat(out.length()).isCloseTo(48_000, within(100));
        assertThat(frequency(middle(out))).isCloseTo(440, within(3.0));
        assertThat(middle(out).levelDbfs()).isCloseTo(middle(in).levelDbfs(), within(0.5));
    }

    @Test
    void toneAboveTheNewNyquistIsFilteredOutInsteadOfFoldedBack() {
        MonoAudio in = tone(10_000, 48_000, 1.0, 0.5);

        MonoAudio out = new Resampler(48_000, 16_000).process(in);

        assertThat(middle(in).levelDbfs() - middle(out).levelDbfs()).as("attenuation in dB").isGreaterThan(30);
    }

    @Test
    void aStreamCutIntoFramesResamplesLikeOneBuffer() {
        MonoAudio in = tone(700, 24_000, 0.5, 0.4);
        MonoAudio whole = new Resampler(24_000, 16_000).process(in);

        Resampler streaming = new Resampler(24_000, 16_000);
        short[] joined = new short[0];
        for (int start = 0; start < in.length(); start += 240) {
            short[] chunk = Arrays.copyOfRange(in.samples(), start, Math.min(in.length(), start + 240));
            short[] out = streaming.process(new MonoAudio(chunk, 24_000)).samples();
            short[] grown = Arrays.copyOf(joined, joined.length + out.length);
            System.arraycopy(out, 0, grown, joined.length, out.length);
            joined = grown;
        }

        int common = Math.min(whole.length(), joined.length);
        assertThat(Math.abs(whole.length() - joined.length)).isLessThanOrEqualTo(1);
        for (int i = 0; i < common; i++) {
            assertThat(Math.abs(joined[i] - whole.samples()[i])).as("sample %d", i).isLessThanOrEqualTo(1);
        }
    }
}
