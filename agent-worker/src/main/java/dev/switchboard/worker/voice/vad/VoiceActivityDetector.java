package dev.switchboard.worker.voice.vad;

/** Scores windows of 16 kHz mono audio for speech. Stateful (models keep context): one instance per caller. */
public interface VoiceActivityDetector extends AutoCloseable {

    /** How many samples each window must have. */
    int windowSamples();

    /** The probability, 0 to 1, that the window holds speech. */
    float speechProbability(float[] window);

    @Override
    void close();
}
