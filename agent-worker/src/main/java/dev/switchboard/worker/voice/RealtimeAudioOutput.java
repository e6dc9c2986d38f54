package dev.switchboard.worker.voice;

import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.worker.voice.audio.MonoAudio;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Plays audio out in real time, 10 ms at a time, to a consumer (the in-process audio transport's "speaker").
 * Keeps at most {@code bufferMillis} queued, so writers are paced as they would be by a real audio device.
 */
public final class RealtimeAudioOutput implements AudioOutput, AutoCloseable {
    private final int sampleRate;
    private final int tickSamples;
    private final long capacitySamples;
    private final Consumer<MonoAudio> speaker;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Deque<short[]> queue = new ArrayDeque<>();
    private int headOffset;
    private long queued;
    private long written;
    private long played;
    private long clears; // so a tick taken before a clear does not move the position after it
    private final Thread clock;
    private volatile boolean closed;

    public RealtimeAudioOutput(int sampleRate, long bufferMillis, Consumer<MonoAudio> speaker) {
        this.sampleRate = sampleRate;
        this.tickSamples = sampleRate / 100;
        this.capacitySamples = sampleRate * bufferMillis / 1000;
        this.speaker = speaker;
        this.clock = WorkerThreads.start("audio-playout", this::play);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public void write(MonoAudio frame) throws InterruptedException {
        if (frame.sampleRate() != sampleRate) {
            throw new IllegalArgumentException("expected " + sampleRate + " Hz, got " + frame.sampleRate());
        }
        lock.lock();
        try {
            while (queued + frame.length() > capacitySamples && queued > 0 && !closed) {
                changed.await();
            }
            queue.addLast(frame.samples());
            queued += frame.length();
            written += frame.length();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void clear() {
        lock.lock();
        try {
            queue.clear();
            headOffset = 0;
            queued = 0;
            // The playout position jumps over what was dropped.
            played = written;
            clears++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long writtenSamples() {
        lock.lock();
        try {
            return written;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long playedSamples() {
        lock.lock();
        try {
            return played;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void awaitPlayed(long sample) throws InterruptedException {
        lock.lock();
        try {
            while (played < sample && !closed) {
                changed.await();
            }
        } finally {
            lock.unlock();
        }
    }

    private void play() {
        long next = System.nanoTime();
        while (!closed) {
            next += 10_000_000L;
            short[] tick = null;
            long generation;
            lock.lock();
            try {
                generation = clears;
                if (queued > 0) {
                    tick = take(tickSamples);
                }
            } finally {
                lock.unlock();
            }
            if (tick != null) {
                // Played means handed to the speaker: only then does the position move (and waiters wake).
                speaker.accept(new MonoAudio(tick, sampleRate));
                lock.lock();
                try {
                    if (generation == clears) {
                        played += tick.length;
                    }
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
            long sleep = next - System.nanoTime();
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            } else if (sleep < -100_000_000L) {
                next = System.nanoTime(); // far behind (a paused machine): do not burst to catch up
            }
        }
    }

    private short[] take(int count) {
        short[] out = new short[(int) Math.min(count, queued)];
        int filled = 0;
        while (filled < out.length) {
            short[] head = queue.peekFirst();
            int n = Math.min(out.length - filled, head.length - headOffset);
            System.arraycopy(head, headOffset, out, filled, n);
            filled += n;
            headOffset += n;
            if (headOffset == head.length) {
                queue.removeFirst();
                headOffset = 0;
            }
        }
        queued -= out.length;
        return out;
    }

    @Override
    public void close() {
        closed = true;
        clock.interrupt();
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
