package dev.switchboard.livekit.ffi;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.switchboard.livekit.ffi.proto.AudioFrameProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A push source of PCM (what TTS audio goes into). The engine keeps a queue of {@code queueSizeMs} and
 * plays it out in real time (10 ms at a time, silence when empty); {@link #captureFrame} returns once
 * the engine accepted the frame, which paces a producer at real time once the queue is full.
 * {@link #clearQueue()} drops what is queued (barge-in).
 */
public final class AudioSource implements AutoCloseable {

    private final LiveKitEngine engine;
    private final FfiHandle handle;
    private final int sampleRate;
    private final int channels;
    private final int queueSizeMs;
    private final ReentrantLock captureLock = new ReentrantLock(); // the engine accepts one pending capture per source
    private final Object estimateLock = new Object();
    private long lastCaptureNanos;
    private double queuedMs;

    private AudioSource(LiveKitEngine engine, FfiHandle handle, int sampleRate, int channels, int queueSizeMs) {
        this.engine = engine;
        this.handle = handle;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.queueSizeMs = queueSizeMs;
    }

    /**
     * A native (push) source. {@code queueSizeMs} must be a multiple of 10 (the engine aborts the process
     * otherwise, so it is checked here); 0 disables the queue and then every frame must be exactly 10 ms.
     */
    public static AudioSource create(LiveKitEngine engine, int sampleRate, int channels, int queueSizeMs) {
        if (sampleRate <= 0 || sampleRate % 100 != 0) {
            throw new IllegalArgumentException("sample rate must be a positive multiple of 100 Hz: " + sampleRate);
        }
        if (channels < 1 || channels > 2) {
            throw new IllegalArgumentException("channels must be 1 or 2: " + channels);
        }
        if (queueSizeMs < 0 || queueSizeMs % 10 != 0) {
            throw new IllegalArgumentException("queueSizeMs must be a non-negative multiple of 10: " + queueSizeMs);
        }
        var response = engine.request(FfiRequest.newBuilder().setNewAudioSource(AudioFrameProto.NewAudioSourceRequest.newBuilder()
                .setType(AudioFrameProto.AudioSourceType.AUDIO_SOURCE_NATIVE)
                .setOptions(AudioFrameProto.AudioSourceOptions.newBuilder()
                        .setEchoCancellation(false).setNoiseSuppression(false).setAutoGainControl(false))
                .setSampleRate(sampleRate).setNumChannels(channels).setQueueSizeMs(queueSizeMs)).build());
        long id = response.getNewAudioSource().getSource().getHandle().getId();
        return new AudioSource(engine, engine.adopt(id, "audio source"), sampleRate, channels, queueSizeMs);
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    FfiHandle handle() {
        return handle;
    }

    public void captureFrame(EngineAudioFrame frame) {
        if (frame.sampleRate() != sampleRate || frame.channels() != channels) {
            throw new IllegalArgumentException("frame is " + frame.sampleRate() + " Hz x" + frame.channels()
                    + ", source is " + sampleRate + " Hz x" + channels);
        }
        captureFrame(frame.data(), frame.samplesPerChannel());
    }

    /**
     * Queues interleaved PCM and returns when the engine took it (callers block at real time once the
     * engine's queue is full: run producers on virtual threads).
     */
    public void captureFrame(short[] interleaved, int samplesPerChannel) {
        int n = samplesPerChannel * channels;
        if (samplesPerChannel <= 0 || interleaved.length < n) {
            throw new IllegalArgumentException("need " + n + " samples, got " + interleaved.length);
        }
        if (queueSizeMs == 0 && samplesPerChannel != sampleRate / 100) {
            throw new IllegalArgumentException("without a queue, frames must be 10 ms (" + sampleRate / 100 + " samples)");
        }
        long sourceHandle = handle.id();
        captureLock.lock();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pcm = arena.allocate(JAVA_SHORT, n);
            MemorySegment.copy(interleaved, 0, pcm, JAVA_SHORT, 0, n);
            AudioFrameProto.AudioFrameBufferInfo buffer = AudioFrameProto.AudioFrameBufferInfo.newBuilder()
                    .setDataPtr(pcm.address()).setNumChannels(channels).setSampleRate(sampleRate)
                    .setSamplesPerChannel(samplesPerChannel).build();
            updateEstimate(samplesPerChannel * 1000.0 / sampleRate);
            AudioFrameProto.CaptureAudioFrameCallback cb = engine.call("capture audio frame",
                    asyncId -> FfiRequest.newBuilder().setCaptureAudioFrame(AudioFrameProto.CaptureAudioFrameRequest.newBuilder()
                            .setSourceHandle(sourceHandle).setBuffer(buffer).setRequestAsyncId(asyncId)).build(),
                    ev -> ev.getCaptureAudioFrame(),
                    engine.options().defaultTimeout());
            if (cb.hasError()) {
                throw new FfiException.OperationFailed("capture failed: " + cb.getError());
            }
        } finally {
            captureLock.unlock();
        }
    }

    /**
     * Drops everything queued in the engine (barge-in). A producer blocked in {@link #captureFrame} is
     * released at the next 10 ms tick: stop the producer first, or it goes on with the rest of the utterance.
     */
    public void clearQueue() {
        engine.request(FfiRequest.newBuilder().setClearAudioBuffer(
                AudioFrameProto.ClearAudioBufferRequest.newBuilder().setSourceHandle(handle.id())).build());
        synchronized (estimateLock) {
            queuedMs = 0;
            lastCaptureNanos = 0;
        }
    }

    /** An estimate of the audio still queued (as the Node and Python SDKs estimate it). */
    public Duration queuedDuration() {
        synchronized (estimateLock) {
            if (lastCaptureNanos == 0) {
                return Duration.ZERO;
            }
            double elapsed = (System.nanoTime() - lastCaptureNanos) / 1e6;
            return Duration.ofNanos((long) (Math.max(0, queuedMs - elapsed) * 1e6));
        }
    }

    /** Waits until the queued audio has been played out (e.g. a farewell before hanging up). */
    public void waitForPlayout() throws InterruptedException {
        Duration left = queuedDuration();
        if (!left.isZero()) {
            Thread.sleep(left);
        }
    }

    private void updateEstimate(double frameMs) {
        synchronized (estimateLock) {
            long now = System.nanoTime();
            double elapsed = lastCaptureNanos == 0 ? 0 : (now - lastCaptureNanos) / 1e6;
            queuedMs = Math.max(0, queuedMs - elapsed) + frameMs;
            lastCaptureNanos = now;
        }
    }

    @Override
    public void close() {
        handle.close();
    }
}
