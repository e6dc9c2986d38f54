package dev.switchboard.testing.sfu;

import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * What the SFU hears on one of the client's published tracks: the RMS level of every frame the decoder
 * gives (10 ms each), with its arrival time. Called on WebRTC's playout thread: computes and returns.
 */
final class ReceivedAudio implements AudioTrackSink {

    private static final int MAX_FRAMES = 60_000; // 10 minutes of 10 ms frames

    /** One decoded frame: when it came (ms since the SFU started), its level (0..1 of full scale) and format. */
    record Frame(double atMs, double rms, int sampleRate, int channels, int samplesPerChannel) {}

    final String cid;
    final String participantIdentity;
    private final long originNanos;
    private final ArrayDeque<Frame> frames = new ArrayDeque<>();
    private long total;
    private volatile boolean stopped;

    ReceivedAudio(String cid, String participantIdentity, long originNanos) {
        this.cid = cid;
        this.participantIdentity = participantIdentity;
        this.originNanos = originNanos;
    }

    @Override
    public void onData(byte[] data, int bitsPerSample, int sampleRate, int channels, int samplesPerChannel) {
        try {
            if (stopped || bitsPerSample != 16) {
                return;
            }
            int n = Math.min(data.length / 2, samplesPerChannel * channels);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                int s = (short) ((data[2 * i] & 0xFF) | (data[2 * i + 1] << 8));
                double v = s / 32768.0;
                sum += v * v;
            }
            double rms = n == 0 ? 0 : Math.sqrt(sum / n);
            Frame f = new Frame((System.nanoTime() - originNanos) / 1e6, rms, sampleRate, channels, samplesPerChannel);
            synchronized (frames) {
                if (frames.size() == MAX_FRAMES) {
                    frames.removeFirst();
                }
                frames.addLast(f);
                total++;
            }
        } catch (Throwable ignored) {
            // never let anything escape into WebRTC's thread
        }
    }

    void stop() {
        stopped = true;
    }

    long totalFrames() {
        synchronized (frames) {
            return total;
        }
    }

    List<Frame> frames() {
        synchronized (frames) {
            return new ArrayList<>(frames);
        }
    }
}
