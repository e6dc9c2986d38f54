package dev.switchboard.livekit.ffi;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handle the engine owns on the client's behalf (room, participant, track, source, stream...). It is
 * dropped exactly once: {@link #close()} is idempotent and thread-safe, and the engine's registry of
 * open handles ({@link LiveKitEngine#openHandles()}) is the leak check. Handles still open when the
 * engine closes are dropped then and reported as leaks.
 */
public final class FfiHandle implements AutoCloseable {

    /** What a leak report shows. {@code origin} is the creation stack when the engine tracks origins. */
    public record Info(long id, String kind, Throwable origin) {
        @Override
        public String toString() {
            return kind + "#" + id;
        }
    }

    private final LiveKitEngine engine;
    private final long id;
    private final String kind;
    private final Throwable origin;
    private final AtomicBoolean closed = new AtomicBoolean();

    FfiHandle(LiveKitEngine engine, long id, String kind, boolean trackOrigin) {
        if (id == 0) {
            throw new IllegalArgumentException("0 is the invalid handle");
        }
        this.engine = engine;
        this.id = id;
        this.kind = kind;
        this.origin = trackOrigin ? new Throwable("handle " + kind + "#" + id + " created here") : null;
    }

    /** The engine's id for this handle, to put in requests. */
    public long id() {
        if (closed.get()) {
            throw new IllegalStateException(kind + "#" + id + " is closed");
        }
        return id;
    }

    public String kind() {
        return kind;
    }

    public boolean isClosed() {
        return closed.get();
    }

    Info info() {
        return new Info(id, kind, origin);
    }

    /** Drops the handle in the engine (once; later calls do nothing). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            engine.release(this, true);
        }
    }

    /**
     * For a request that consumed the handle on the engine side (e.g. TextStreamWriterClose takes the
     * writer): forget it without dropping it. Returns false if it was already closed.
     */
    boolean markConsumed() {
        if (closed.compareAndSet(false, true)) {
            engine.release(this, false);
            return true;
        }
        return false;
    }

    long rawId() {
        return id;
    }

    @Override
    public String toString() {
        return kind + "#" + id + (closed.get() ? " (closed)" : "");
    }
}
