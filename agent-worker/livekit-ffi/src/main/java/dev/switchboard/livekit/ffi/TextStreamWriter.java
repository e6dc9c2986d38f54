package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.DataStreamProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import java.time.Duration;
import java.util.Map;

/**
 * An outgoing text stream (see {@link Room#streamText}). Closing it sends the trailer, with attributes
 * (e.g. {@code lk.transcription_final=true}); the engine takes the writer's handle on close.
 */
public final class TextStreamWriter implements AutoCloseable {

    private final LiveKitEngine engine;
    private final FfiHandle handle;
    private final DataStreamProto.TextStreamInfo info;

    TextStreamWriter(LiveKitEngine engine, FfiHandle handle, DataStreamProto.TextStreamInfo info) {
        this.engine = engine;
        this.handle = handle;
        this.info = info;
    }

    public String streamId() {
        return info.getStreamId();
    }

    public String topic() {
        return info.getTopic();
    }

    public void write(String text, Duration timeout) {
        long writer = handle.id();
        DataStreamProto.TextStreamWriterWriteCallback cb = engine.call("write text stream " + streamId(),
                id -> FfiRequest.newBuilder().setTextStreamWrite(DataStreamProto.TextStreamWriterWriteRequest.newBuilder()
                        .setWriterHandle(writer).setText(text).setRequestAsyncId(id)).build(),
                ev -> ev.getTextStreamWriterWrite(), timeout);
        if (cb.hasError()) {
            throw new FfiException.OperationFailed("text stream write failed: " + cb.getError().getDescription());
        }
    }

    /** Sends the trailer with these attributes (once; the engine consumes the handle). */
    public void close(Map<String, String> trailerAttributes, Duration timeout) {
        if (handle.isClosed()) {
            return;
        }
        long writer = handle.id();
        try {
            DataStreamProto.TextStreamWriterCloseCallback cb = engine.call("close text stream " + streamId(),
                    id -> FfiRequest.newBuilder().setTextStreamClose(DataStreamProto.TextStreamWriterCloseRequest.newBuilder()
                            .setWriterHandle(writer).putAllAttributes(trailerAttributes).setRequestAsyncId(id)).build(),
                    ev -> ev.getTextStreamWriterClose(), timeout);
            if (cb.hasError()) {
                throw new FfiException.OperationFailed("text stream close failed: " + cb.getError().getDescription());
            }
        } finally {
            handle.markConsumed();
        }
    }

    @Override
    public void close() {
        if (engine.isDispatcherThread()) { // an abandoned open: no trailer, just release the writer
            handle.close();
            return;
        }
        close(Map.of(), engine.options().defaultTimeout());
    }
}
