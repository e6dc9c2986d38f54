package dev.switchboard.worker.voice.tones;

import dev.switchboard.worker.voice.SpeechAudio;
import dev.switchboard.worker.voice.audio.MonoAudio;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The voicemail beep, told from speech, noise and short or quiet tones. */
class BeepDetectorTest {
    private static final int RATE = 16_000;

    /** What the detector says, as "event@ms" (the time of the end of the 10 ms frame it was said in). */
    private static List<String> heard(MonoAudio audio) {
        BeepDetector detector = new BeepDetector(RATE);
        List<String> heard = new ArrayList<>();
        int frame = RATE / 100;
        for (int start = 0; start < audio.length(); start += frame) {
            short[] part = java.util.Arrays.copyOfRange(audio.samples(), start, Math.min(audio.length(), start + frame));
            BeepDetector.Heard now = detector.feed(new MonoAudio(part, RATE));
            if (now != BeepDetector.Heard.NOTHING) {
                heard.add(now + "@" + (start + part.length) * 1000 / RATE);
            }
        }
        return heard;
    }

    @Test
    void aSteadyToneIsABeepOnceItHasLastedLongEnoughAndEndsWhenItStops() {
        assertThat(heard(SpeechAudio.concat(SpeechAudio.silence(100), SpeechAudio.tone(1000, 8000, 400), SpeechAudio.silence(200))))
                .containsExactly("BEEP_STARTED@260", "BEEP_ENDED@520");
    }

    @Test
    void aToneBetweenTwoFiltersAndAtTheEndsOfTheRangeIsHeardToo() {
        for (double hz : new double[]{412.5, 1037, 1960}) {
            assertThat(heard(SpeechAudio.concat(SpeechAudio.tone(hz, 4000, 300), SpeechAudio.silence(100)))).as("%s Hz", hz)
                    .containsExactly("BEEP_STARTED@160", "BEEP_ENDED@320");
        }
    }

    @Test
    void speechNoiseAndShortOrQuietTonesAreNotBeeps() {
        assertThat(heard(SpeechAudio.speak("You have reached Sam. Please leave a message after the beep. Hello? Yes, speaking.")))
                .as("speech").isEmpty();
        short[] noise = new short[RATE];
        Random random = new Random(7);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (short) (random.nextGaussian() * 3000);
        }
        assertThat(heard(new MonoAudio(noise, RATE))).as("noise").isEmpty();
        assertThat(heard(SpeechAudio.concat(SpeechAudio.tone(1000, 8000, 100), SpeechAudio.silence(200)))).as("a click of a tone").isEmpty();
        assertThat(heard(SpeechAudio.concat(SpeechAudio.tone(1000, 200, 500), SpeechAudio.silence(200)))).as("line hum").isEmpty();
        assertThat(heard(SpeechAudio.concat(SpeechAudio.tone(200, 8000, 500), SpeechAudio.silence(200)))).as("below the range").isEmpty();
    }

    @Test
    void aChordIsNotOneTone() {
        MonoAudio a = SpeechAudio.tone(700, 5000, 500);
        MonoAudio b = SpeechAudio.tone(1300, 5000, 500);
        short[] mixed = new short[a.length()];
        for (int i = 0; i < mixed.length; i++) {
            mixed[i] = (short) (a.samples()[i] + b.samples()[i]);
        }
        assertThat(heard(new MonoAudio(mixed, RATE))).isEmpty();
    }
}
