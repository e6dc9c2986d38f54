package dev.switchboard.worker.voice.vad;

import dev.switchboard.worker.voice.audio.MonoAudio;

/**
 * Turns window-by-window speech probabilities into speech start and end events: speech starts after
 * {@code minSpeechMs} above the activation threshold and ends after {@code minSilenceMs} below it (with a lower
 * deactivation threshold, so a dip mid-word does not end the utterance). Offsets count from the first sample fed.
 */
public final class SpeechSegmenter {

    public record Settings(float activationThreshold, long minSpeechMs, long minSilenceMs) {
        float deactivationThreshold() {
            return Math.max(0.05f, activationThreshold - 0.15f);
        }
    }

    /** Receives the segmenter's decisions; {@code window} is called for every window, with whether speech is on. */
    public interface Events {
        void speechStarted(long atMs);

        void speechEnded(long atMs);

        default void window(boolean speaking, float probability) {
        }
    }

    private final VoiceActivityDetector detector;
    private final Settings settings;
    private final Events events;
    private final float[] window;
    private int filled;
    private long samples;
    private boolean speaking;
    private long aboveMs;
    private long belowMs;

    public SpeechSegmenter(VoiceActivityDetector detector, Settings settings, Events events) {
        this.detector = detector;
        this.settings = settings;
        this.events = events;
        this.window = new float[detector.windowSamples()];
    }

    public boolean speaking() {
        return speaking;
    }

    /** Feeds 16 kHz audio; events fire synchronously as windows complete. */
    public void accept(MonoAudio frame) {
        if (frame.sampleRate() != 16_000) {
            throw new IllegalArgumentException("the VAD takes 16 kHz audio, got " + frame.sampleRate());
        }
        short[] in = frame.samples();
        for (short sample : in) {
            window[filled++] = sample / 32768f;
            samples++;
            if (filled == window.length) {
                score();
                filled = 0;
            }
        }
    }

    private void score() {
        float p = detector.speechProbability(window);
        long windowMs = window.length * 1000L / 16_000;
        long nowMs = samples * 1000 / 16_000;
        if (!speaking) {
            aboveMs = p >= settings.activationThreshold() ? aboveMs + windowMs : 0;
            if (aboveMs >= settings.minSpeechMs()) {
                speaking = true;
                belowMs = 0;
                events.speechStarted(nowMs - aboveMs);
            }
        } else {
            belowMs = p < settings.deactivationThreshold() ? belowMs + windowMs : 0;
            if (belowMs >= settings.minSilenceMs()) {
                speaking = false;
                aboveMs = 0;
                events.speechEnded(nowMs - belowMs);
            }
        }
        events.window(speaking, p);
    }
}
