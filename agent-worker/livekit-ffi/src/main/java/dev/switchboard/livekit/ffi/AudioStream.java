package dev.switchboard.livekit.ffi;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.switchboard.livekit.ffi.proto.AudioFrameProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackSource;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Audio frames from a track, converted by the engine to the rate and channel count asked for (e.g. 16 kHz
 * mono for STT: the engine's sink resamples and remixes, nothing to do in Java). Frames are copied out
 * of the engine on the dispatcher thread and the frame handles dropped at once; they wait in a bounded
 * queue (oldest dropped when the reader falls behind, counted in {@link #droppedFrames()}).
 */
public final class AudioStream implements AutoCloseable {

    /** Tuning. {@code engineQueueFrames} null keeps the engine's default (10 frames). */
    public record Options(int queueCapacityFrames, Integer engineQueueFrames, Integer frameSizeMs) {
        public static Options defaults() {
            return new Options(100, null, null);
        }
    }

    private static final EngineAudioFrame END = new EngineAudioFrame(new short[0], 1, 1, 0);

    private final LiveKitEngine engine;
    private final FfiHandle handle;
    private final long handleId;
    private final ArrayBlockingQueue<EngineAudioFrame> frames;
    private final LongAdder received = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean ended;
    private volatile String failure;

    private AudioStream(LiveKitEngine engine, FfiHandle handle, int capacity) {
        this.engine = engine;
        this.handle = handle;
        this.handleId = handle.id();
        this.frames = new ArrayBlockingQueue<>(capacity + 1);
    }

    /** A stream over one track (remote, or local for loopback). It ends when the track's handle is dropped. */
    public static AudioStream fromTrack(LiveKitEngine engine, TrackRef track, int sampleRate, int channels, Options options) {
        AudioFrameProto.NewAudioStreamRequest.Builder req = AudioFrameProto.NewAudioStreamRequest.newBuilder()
                .setTrackHandle(track.handle().id()).setType(AudioFrameProto.AudioStreamType.AUDIO_STREAM_NATIVE)
                .setSampleRate(sampleRate).setNumChannels(channels);
        if (options.engineQueueFrames() != null) {
            req.setQueueSizeFrames(options.engineQueueFrames());
        }
        if (options.frameSizeMs() != null) {
            req.setFrameSizeMs(options.frameSizeMs());
        }
        return create(engine, FfiRequest.newBuilder().setNewAudioStream(req).build(), options,
                r -> r.getNewAudioStream().getStream().getHandle().getId());
    }

    /** A stream of a participant's track of the given source, following it across republishes. */
    public static AudioStream fromParticipant(LiveKitEngine engine, Participant participant, TrackSource source,
            int sampleRate, int channels, Options options) {
        AudioFrameProto.AudioStreamFromParticipantRequest.Builder req = AudioFrameProto.AudioStreamFromParticipantRequest.newBuilder()
                .setParticipantHandle(participant.handle().id()).setType(AudioFrameProto.AudioStreamType.AUDIO_STREAM_NATIVE)
                .setTrackSource(source).setSampleRate(sampleRate).setNumChannels(channels);
        if (options.engineQueueFrames() != null) {
            req.setQueueSizeFrames(options.engineQueueFrames());
        }
        if (options.frameSizeMs() != null) {
            req.setFrameSizeMs(options.frameSizeMs());
        }
        return create(engine, FfiRequest.newBuilder().setAudioStreamFromParticipant(req).build(), options,
                r -> r.getAudioStreamFromParticipant().getStream().getHandle().getId());
    }

    private static AudioStream create(LiveKitEngine engine, FfiRequest request, Options options,
            java.util.function.ToLongFunction<dev.switchboard.livekit.ffi.proto.FfiProto.FfiResponse> handleOf) {
        AudioStream stream = null;
        engine.beginStreamCreation(); // frames may come before the response: the engine holds them for us
        try {
            long id = handleOf.applyAsLong(engine.request(request));
            stream = new AudioStream(engine, engine.adopt(id, "audio stream"), options.queueCapacityFrames());
            return stream;
        } finally {
            engine.endStreamCreation(stream);
        }
    }

    long handleId() {
        return handleId;
    }

    /** The next frame, waiting at most {@code timeout}; null on timeout or once the stream ended ({@link #isEnded()}). */
    public EngineAudioFrame read(Duration timeout) throws InterruptedException {
        EngineAudioFrame f = frames.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (f == END) {
            frames.offer(END); // keep the end visible to later reads
            return null;
        }
        return f;
    }

    public boolean isEnded() {
        return ended;
    }

    /** Why the stream ended early (engine panic), if it did. */
    public String failure() {
        return failure;
    }

    public long receivedFrames() {
        return received.sum();
    }

    public long droppedFrames() {
        return dropped.sum();
    }

    /** Dispatcher thread (under the engine's stream lock): copy, drop the frame handle, queue. */
    void onEvent(AudioFrameProto.AudioStreamEvent ev) {
        if (ev.hasFrameReceived()) {
            AudioFrameProto.OwnedAudioFrameBuffer buf = ev.getFrameReceived().getFrame();
            AudioFrameProto.AudioFrameBufferInfo info = buf.getInfo();
            try {
                int n = info.getSamplesPerChannel() * info.getNumChannels();
                short[] pcm = new short[n];
                MemorySegment.copy(MemorySegment.ofAddress(info.getDataPtr()).reinterpret(2L * n), JAVA_SHORT, 0, pcm, 0, n);
                if (!ended) {
                    enqueue(new EngineAudioFrame(pcm, info.getSampleRate(), info.getNumChannels(), info.getSamplesPerChannel()));
                    received.increment();
                }
            } finally {
                engine.dropRaw(buf.getHandle().getId(), "audio frame");
            }
        } else if (ev.hasEos()) {
            end();
        }
    }

    void onEngineFailed(String message) {
        failure = message;
        end();
    }

    private void end() {
        ended = true;
        enqueue(END);
    }

    private void enqueue(EngineAudioFrame f) {
        while (!frames.offer(f)) {
            if (frames.poll() != null) {
                dropped.increment();
            }
        }
    }

    /** Stops the stream in the engine and drops its handle. Idempotent. */
    @Override
    public void close() {
        if (handle.isClosed()) {
            return;
        }
        engine.unregisterStream(handleId);
        handle.close();
        if (!ended) {
            end();
        }
    }
}
