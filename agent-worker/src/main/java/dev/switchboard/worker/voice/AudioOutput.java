package dev.switchboard.worker.voice;

import dev.switchboard.worker.voice.audio.MonoAudio;

/**
 * Where the agent's audio goes: a LiveKit audio source, or an in-process sink. Consumption happens in real time,
 * so {@link #write} blocks once enough audio is queued: that is what paces text to speech.
 */
public interface AudioOutput {

    int sampleRate();

    /** Queues audio for playout; blocks while the queue is full. */
    void write(MonoAudio frame) throws InterruptedException;

    /** Drops everything queued and not yet played (barge-in). */
    void clear();

    /** Samples written since the output was created. */
    long writtenSamples();

    /**
     * The playout position, counted in written samples: everything before it was played, or dropped by
     * {@link #clear()} (which moves it to the end of what was written). Read it before clearing to know what was heard.
     */
    long playedSamples();

    /** Waits until the playout position reaches the given sample (played, or dropped by a clear). */
    void awaitPlayed(long sample) throws InterruptedException;
}
