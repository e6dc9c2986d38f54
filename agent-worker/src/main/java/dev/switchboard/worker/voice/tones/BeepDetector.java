package dev.switchboard.worker.voice.tones;

import dev.switchboard.worker.voice.audio.MonoAudio;

/**
 * Hears the beep of a voicemail system: one steady tone between 400 and 2,000 Hz lasting at least {@value #MIN_BEEP_MS} ms.
 * The audio is cut into 20 ms blocks; in each, a bank of Goertzel filters 25 Hz apart measures how much of the block's
 * energy one frequency holds. A beep is a run of loud blocks whose energy sits almost all in one frequency, the same one
 * throughout; speech spreads its energy over many harmonics that move, so it never holds one bin that long.
 *
 * <p>Not thread-safe: one caller's audio, fed in order.
 */
public final class BeepDetector {
    static final int MIN_BEEP_MS = 150;
    private static final int BLOCK_MS = 20;
    private static final double LOWEST_HZ = 400;
    private static final double HIGHEST_HZ = 2_000;
    private static final double STEP_HZ = 25;
    /** The share of a block's energy one frequency must hold: a pure tone between two filters still gives ~0.8. */
    private static final double MIN_PURITY = 0.6;
    /** Quieter than this (about -40 dBFS) is line noise, not a beep. */
    private static final double MIN_RMS = 330;
    /** How far (in filters) the tone may wander from one block to the next: a beep's pitch holds still. */
    private static final int MAX_DRIFT = 2;

    /** What the detector heard in the audio just fed. */
    public enum Heard { NOTHING, BEEP_STARTED, BEEP_ENDED }

    private final int sampleRate;
    private final int blockSize;
    private final double[] coefficients;
    private final short[] block;
    private int filled;
    private int toneBlocks;
    private int toneBin = -1;
    private boolean inBeep;

    public BeepDetector(int sampleRate) {
        this.sampleRate = sampleRate;
        this.blockSize = sampleRate * BLOCK_MS / 1000;
        this.block = new short[blockSize];
        int bins = (int) ((HIGHEST_HZ - LOWEST_HZ) / STEP_HZ) + 1;
        this.coefficients = new double[bins];
        for (int i = 0; i < bins; i++) {
            coefficients[i] = 2 * Math.cos(2 * Math.PI * (LOWEST_HZ + i * STEP_HZ) / sampleRate);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Feeds the caller's audio (at the detector's sample rate); says whether a beep started (it has lasted long enough
     * to be one) or ended in it. At most one of the two per call: audio comes in frames far shorter than a beep.
     */
    public Heard feed(MonoAudio audio) {
        if (audio.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("audio at " + audio.sampleRate() + " Hz fed to a detector of " + sampleRate + " Hz");
        }
        Heard heard = Heard.NOTHING;
        short[] samples = audio.samples();
        for (int i = 0; i < samples.length; i++) {
            block[filled++] = samples[i];
            if (filled == blockSize) {
                filled = 0;
                Heard now = blockEnded(dominantTone());
                if (now != Heard.NOTHING) {
                    heard = now;
                }
            }
        }
        return heard;
    }

    private Heard blockEnded(int bin) {
        boolean continues = bin >= 0 && (toneBin < 0 || Math.abs(bin - toneBin) <= MAX_DRIFT);
        if (continues) {
            toneBlocks++;
            toneBin = bin;
            if (!inBeep && toneBlocks * BLOCK_MS >= MIN_BEEP_MS) {
                inBeep = true;
                return Heard.BEEP_STARTED;
            }
            return Heard.NOTHING;
        }
        boolean ended = inBeep;
        inBeep = false;
        toneBlocks = bin >= 0 ? 1 : 0; // another tone starts a run of its own
        toneBin = bin;
        return ended ? Heard.BEEP_ENDED : Heard.NOTHING;
    }

    /** The filter holding most of the block's energy, if the block is loud and nearly all of it is that one tone; else -1. */
    private int dominantTone() {
        double energy = 0;
        for (short sample : block) {
            energy += (double) sample * sample;
        }
        if (Math.sqrt(energy / blockSize) < MIN_RMS) {
            return -1;
        }
        int best = -1;
        double bestPower = 0;
        for (int bin = 0; bin < coefficients.length; bin++) {
            double power = goertzelPower(coefficients[bin]);
            if (power > bestPower) {
                bestPower = power;
                best = bin;
            }
        }
        // A pure tone of energy E over N samples gives a Goertzel power of about N * E / 2 at its frequency.
        double purity = bestPower / (blockSize * energy / 2);
        return purity >= MIN_PURITY ? best : -1;
    }

    private double goertzelPower(double coefficient) {
        double previous = 0;
        double beforePrevious = 0;
        for (short sample : block) {
            double current = sample + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    }
}
