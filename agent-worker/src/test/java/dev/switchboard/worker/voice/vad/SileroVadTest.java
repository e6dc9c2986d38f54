package dev.switchboard.worker.voice.vad;

import dev.switchboard.worker.voice.SpeechAudio;
import dev.switchboard.worker.voice.audio.MonoAudio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The real Silero model on real (synthesized) speech. */
class SileroVadTest {
    private static SileroVad.Model model;

    @BeforeAll
    static void load() {
        model = VadModels.loadOrSkip();
    }

    @AfterAll
    static void unload() {
        model.close();
    }

    @Test
    void speechScoresHighAndSilenceLow() {
        try (SileroVad vad = new SileroVad(model)) {
            List<Float> silence = scores(vad, SpeechAudio.silence(1000));
            List<Float> speech = scores(vad, SpeechAudio.speak("Hello, I am calling about my order from last week."));

            assertThat(silence).allMatch(p -> p < 0.2f);
            assertThat(speech.stream().filter(p -> p > 0.5f).count()).as("windows scored as speech").isGreaterThan(speech.size() / 2);
        }
    }

    @Test
    void theSegmenterFindsTheStartAndEndOfAnUtterance() {
        MonoAudio speech = SpeechAudio.speak("I would like to check the status of my delivery please.");
        MonoAudio audio = SpeechAudio.concat(SpeechAudio.silence(800), speech, SpeechAudio.silence(1200));
        List<long[]> segments = new ArrayList<>();
        try (SileroVad vad = new SileroVad(model)) {
            var segmenter = new SpeechSegmenter(vad, new SpeechSegmenter.Settings(0.5f, 100, 400), new SpeechSegmenter.Events() {
                @Override
                public void speechStarted(long atMs) {
                    segments.add(new long[]{atMs, -1});
                }

                @Override
                public void speechEnded(long atMs) {
                    segments.getLast()[1] = atMs;
                }
            });
            SpeechAudio.frames(audio).forEach(segmenter::accept);
        }
        long speechMs = speech.durationMicros() / 1000;
        assertThat(segments).hasSize(1);
        assertThat(segments.getFirst()[0]).isCloseTo(800, within(250L));
        assertThat(segments.getFirst()[1]).isCloseTo(800 + speechMs, within(400L));
    }

    private static List<Float> scores(SileroVad vad, MonoAudio audio) {
        List<Float> scores = new ArrayList<>();
        float[] samples = audio.toFloats();
        for (int start = 0; start + 512 <= samples.length; start += 512) {
            scores.add(vad.speechProbability(java.util.Arrays.copyOfRange(samples, start, start + 512)));
        }
        return scores;
    }
}
