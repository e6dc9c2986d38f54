package dev.switchboard.livekit.ffi;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.switchboard.livekit.ffi.proto.AudioFrameProto.AudioStreamEvent;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiEvent;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiResponse;
import dev.switchboard.livekit.ffi.proto.RoomProto;
import dev.switchboard.livekit.ffi.proto.RoomProto.ConnectCallback;
import dev.switchboard.livekit.ffi.proto.RoomProto.RoomEvent;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongFunction;

/**
 * LiveKit's Rust client (livekit-ffi) driven through FFM.
 *
 * <p>The native engine is a process-wide singleton, so at most one {@code LiveKitEngine} runs at a time
 * in a process ({@link #start}); after {@link #close()} a new one may be started.
 *
 * <p>Threads. The engine calls back on its own (Rust) threads. The upcall only copies the event bytes
 * into a lock-free inbox and unparks the dispatcher; it never blocks and never lets an exception out
 * (an exception escaping an upcall ends the JVM). One dispatcher thread decodes events in order and
 * routes them: async results to the caller waiting on that {@code request_async_id}, room events to
 * their {@link Room}, audio frames to their {@link AudioStream} (copied, then the frame handle dropped),
 * log batches to {@link EngineLogs}, a Panic to {@link #onPanic}. What passes is counted in {@link EngineCounters}.
 *
 * <p>Async requests: the client chooses the {@code request_async_id} and registers the waiter before
 * sending the request, because the callback can arrive before {@code livekit_ffi_request} returns.
 */
public final class LiveKitEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LiveKitEngine.class.getName());
    private static final String DISPATCHER_NAME = "livekit-ffi-dispatcher";

    /** How the engine is started. */
    public record Options(
            boolean captureLogs,
            String sdk,
            String sdkVersion,
            Duration defaultTimeout,
            boolean trackHandleOrigins,
            Level minEngineLogLevel,
            Consumer<String> onPanic) {

        public Options {
            Objects.requireNonNull(sdk);
            Objects.requireNonNull(sdkVersion);
            Objects.requireNonNull(defaultTimeout);
            Objects.requireNonNull(minEngineLogLevel);
            onPanic = onPanic == null ? m -> { } : onPanic;
        }

        /**
         * Engine logs routed to System.Logger (INFO and above); the engine identifies itself to the server
         * as LiveKit's Rust SDK (it is that SDK's client speaking the protocol).
         */
        public static Options defaults() {
            return new Options(true, "rust", "0.12.73", Duration.ofSeconds(30), false, Level.INFO, null);
        }

        public Options withTrackHandleOrigins(boolean track) {
            return new Options(captureLogs, sdk, sdkVersion, defaultTimeout, track, minEngineLogLevel, onPanic);
        }

        public Options withOnPanic(Consumer<String> listener) {
            return new Options(captureLogs, sdk, sdkVersion, defaultTimeout, trackHandleOrigins, minEngineLogLevel, listener);
        }

        public Options withCaptureLogs(boolean capture) {
            return new Options(capture, sdk, sdkVersion, defaultTimeout, trackHandleOrigins, minEngineLogLevel, onPanic);
        }

        public Options withMinEngineLogLevel(Level level) {
            return new Options(captureLogs, sdk, sdkVersion, defaultTimeout, trackHandleOrigins, level, onPanic);
        }
    }

    private enum State { RUNNING, FAILED, CLOSING, CLOSED }

    // ---- process-wide: the upcall target and the stub (kept for the life of the process) ----
    private static final Object LIFECYCLE = new Object();
    private static volatile LiveKitEngine current;
    private static MemorySegment callbackStub;
    /**
     * Process-wide, not per instance: the native engine outlives an instance, and an operation started by a
     * closed instance can call back into the next one. Ids must never repeat within the process.
     */
    private static final AtomicLong NEXT_ASYNC_ID = new AtomicLong(1);

    private final NativeEngineLibrary lib;
    private final Options options;
    private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
    private volatile String panicMessage;

    private final ConcurrentLinkedQueue<byte[]> inbox = new ConcurrentLinkedQueue<>();
    private final Thread dispatcher;
    private volatile boolean dispatcherStop;

    private final ConcurrentHashMap<Long, Pending<?>> pending = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, FfiHandle> handles = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Room> rooms = new ConcurrentHashMap<>();

    private final Object streamLock = new Object();
    private final Map<Long, AudioStream> streams = new HashMap<>(); // guarded by streamLock
    private final Map<Long, List<AudioStreamEvent>> earlyStreamEvents = new HashMap<>(); // guarded by streamLock
    private int streamCreations; // guarded by streamLock

    private final EngineCounters counters = new EngineCounters();
    private final EngineLogs engineLogs;
    private long initializeNanos;

    private LiveKitEngine(NativeEngineLibrary lib, Options options) {
        this.lib = lib;
        this.options = options;
        this.engineLogs = new EngineLogs(options.minEngineLogLevel());
        this.dispatcher = Thread.ofPlatform().daemon().name(DISPATCHER_NAME).unstarted(this::dispatchLoop);
        // Room events reach application code on this thread; it may be started from any thread (even one the
        // JDK made), so it runs with the loader of the binding's own classes, not an inherited one.
        this.dispatcher.setContextClassLoader(LiveKitEngine.class.getClassLoader());
    }

    public static LiveKitEngine start() {
        return start(Options.defaults());
    }

    /**
     * Loads the library if needed and initializes the engine.
     *
     * @throws FfiException.Unavailable when there is no engine library (the message says how to get one)
     * @throws IllegalStateException when an engine is already running in this process
     */
    public static LiveKitEngine start(Options options) {
        synchronized (LIFECYCLE) {
            if (current != null) {
                throw new IllegalStateException("a LiveKitEngine is already running in this process"
                        + " (the native engine is a process-wide singleton): close it first");
            }
            NativeEngineLibrary lib = NativeEngineLibrary.load();
            if (callbackStub == null) {
                callbackStub = lib.callbackStub(LiveKitEngine.class, "onNativeEvent");
            }
            LiveKitEngine engine = new LiveKitEngine(lib, options);
            engine.dispatcher.start();
            current = engine; // before initialize: the engine may call back at once
            long t0 = System.nanoTime();
            try (Arena arena = Arena.ofConfined()) {
                lib.initialize.invokeExact(callbackStub, options.captureLogs(),
                        arena.allocateFrom(options.sdk()), arena.allocateFrom(options.sdkVersion()));
            } catch (Throwable t) {
                current = null;
                engine.stopDispatcher();
                throw new FfiException("livekit_ffi_initialize failed", t);
            }
            engine.initializeNanos = System.nanoTime() - t0;
            LOG.log(Level.DEBUG, () -> "livekit-ffi initialized from " + lib.location() + " in "
                    + TimeUnit.NANOSECONDS.toMicros(engine.initializeNanos) + " µs");
            return engine;
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Requests
    // ------------------------------------------------------------------------------------------------

    /** A synchronous request: the response is copied and the engine's response buffer dropped. */
    public FfiResponse request(FfiRequest request) {
        ensureUsable(false);
        return send(request);
    }

    private FfiResponse send(FfiRequest request) {
        byte[] bytes = request.toByteArray();
        counters.requests.increment();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, JAVA_BYTE, 0, bytes.length);
            MemorySegment resPtr = arena.allocate(ADDRESS);
            MemorySegment resLen = arena.allocate(JAVA_LONG);
            long responseHandle = (long) lib.request.invokeExact(data, (long) bytes.length, resPtr, resLen);
            if (responseHandle == 0) {
                throw new FfiException.Rejected(request.getMessageCase().name().toLowerCase());
            }
            byte[] out;
            try {
                long len = resLen.get(JAVA_LONG, 0);
                out = resPtr.get(ADDRESS, 0).reinterpret(len).toArray(JAVA_BYTE);
            } finally {
                boolean dropped = (boolean) lib.dropHandle.invokeExact(responseHandle);
                if (!dropped) {
                    LOG.log(Level.WARNING, "engine did not know response handle {0}", responseHandle);
                }
            }
            return FfiResponse.parser().parsePartialFrom(out);
        } catch (FfiException e) {
            throw e;
        } catch (InvalidProtocolBufferException e) {
            throw new FfiException("undecodable FfiResponse to " + request.getMessageCase(), e);
        } catch (Throwable t) {
            throw new FfiException("livekit_ffi_request failed", t);
        }
    }

    /**
     * An asynchronous request: chooses a {@code request_async_id}, registers the waiter, sends the request
     * built for that id, and returns the future of the callback, transformed on the dispatcher thread by
     * {@code onDispatcher} (which must not block; it may throw to fail the call). If the caller gives up
     * (completes the future itself, e.g. on timeout), a result that arrives later is closed if it is
     * {@link AutoCloseable}, and owned handles in a late callback are dropped.
     */
    public <T> CompletableFuture<T> submit(String what, LongFunction<FfiRequest> request, Function<FfiEvent, T> onDispatcher) {
        ensureUsable(false);
        return submit0(what, request, onDispatcher);
    }

    private <T> CompletableFuture<T> submit0(String what, LongFunction<FfiRequest> request, Function<FfiEvent, T> onDispatcher) {
        long id = NEXT_ASYNC_ID.getAndIncrement();
        Pending<T> call = new Pending<>(id, what, onDispatcher);
        pending.put(id, call);
        call.future.whenComplete((v, e) -> pending.remove(id, call));
        State s = state.get();
        if (s == State.FAILED) { // a panic may have failed the pending calls before this one was registered
            call.future.completeExceptionally(unusable());
            return call.future;
        }
        try {
            send(request.apply(id));
        } catch (RuntimeException e) {
            call.future.completeExceptionally(e);
            throw e;
        }
        call.sent = true;
        return call.future;
    }

    /** {@link #submit} and wait, at most {@code timeout}. */
    public <T> T call(String what, LongFunction<FfiRequest> request, Function<FfiEvent, T> onDispatcher, Duration timeout) {
        return await(submit(what, request, onDispatcher), what, timeout);
    }

    /** For the binding's own shutdown path: works while the engine is closing. */
    <T> T callWhileClosing(String what, LongFunction<FfiRequest> request, Function<FfiEvent, T> onDispatcher, Duration timeout) {
        ensureUsable(true);
        return await(submit0(what, request, onDispatcher), what, timeout);
    }

    FfiResponse requestWhileClosing(FfiRequest request) {
        ensureUsable(true);
        return send(request);
    }

    /** Waits for an async result; on timeout or interrupt the call is abandoned (and cleaned up when it completes). */
    public static <T> T await(CompletableFuture<T> future, String what, Duration timeout) {
        if (Thread.currentThread().getName().equals(DISPATCHER_NAME) && !future.isDone()) {
            throw new IllegalStateException(what + ": waiting on the dispatcher thread would deadlock");
        }
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            FfiException.Timeout t = new FfiException.Timeout(what + ": no callback from the engine within " + timeout);
            if (future.completeExceptionally(t)) {
                throw t;
            }
            return future.join(); // completed in the meantime
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (future.completeExceptionally(new CancellationException("interrupted"))) {
                throw new FfiException(what + ": interrupted");
            }
            return future.join();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof FfiException fe) {
                throw fe;
            }
            throw new FfiException(what + " failed", cause);
        }
    }

    /** A new client-chosen async id (for callers that build their own waiting). */
    long nextAsyncId() {
        return NEXT_ASYNC_ID.getAndIncrement();
    }

    // ------------------------------------------------------------------------------------------------
    // Handles
    // ------------------------------------------------------------------------------------------------

    /** Takes ownership of a handle the engine gave (registered for the leak check). */
    FfiHandle adopt(long id, String kind) {
        FfiHandle h = new FfiHandle(this, id, kind, options.trackHandleOrigins());
        FfiHandle previous = handles.put(id, h);
        if (previous != null) {
            LOG.log(Level.WARNING, "handle {0} adopted twice ({1}, then {2})", id, previous.kind(), kind);
        }
        return h;
    }

    void release(FfiHandle h, boolean drop) {
        handles.remove(h.rawId(), h);
        if (drop) {
            dropRaw(h.rawId(), h.kind());
        }
    }

    boolean dropRaw(long id, String kind) {
        try {
            boolean known = (boolean) lib.dropHandle.invokeExact(id);
            if (!known) {
                LOG.log(Level.DEBUG, "engine no longer knew {0}#{1}", kind, id);
            }
            return known;
        } catch (Throwable t) {
            throw new FfiException("livekit_ffi_drop_handle failed", t);
        }
    }

    /** Handles taken and not yet closed: empty when nothing leaked. */
    public List<FfiHandle.Info> openHandles() {
        return handles.values().stream().map(FfiHandle::info).toList();
    }

    // ------------------------------------------------------------------------------------------------
    // State
    // ------------------------------------------------------------------------------------------------

    boolean isDispatcherThread() {
        return Thread.currentThread() == dispatcher;
    }

    /** Running, or closing (the binding's own shutdown requests are still allowed). */
    boolean acceptsRequests() {
        State s = state.get();
        return s == State.RUNNING || s == State.CLOSING;
    }

    public boolean isUsable() {
        return state.get() == State.RUNNING;
    }

    /** The message of the Panic the engine reported, if it did. */
    public Optional<String> panicMessage() {
        return Optional.ofNullable(panicMessage);
    }

    public long initializeNanos() {
        return initializeNanos;
    }

    public NativeEngineLibrary library() {
        return lib;
    }

    public Options options() {
        return options;
    }

    public EngineStats stats() {
        return counters.snapshot(engineLogs.records(), handles.size(), pending.size());
    }

    /** The last engine log records at WARN or above (at most 64). */
    public List<EngineLogRecord> recentEngineWarnings() {
        return engineLogs.recentWarnings();
    }

    private void ensureUsable(boolean allowClosing) {
        State s = state.get();
        if (s == State.RUNNING || (allowClosing && s == State.CLOSING)) {
            return;
        }
        throw unusable();
    }

    private FfiException.EngineUnusable unusable() {
        String panic = panicMessage;
        return panic != null
                ? new FfiException.EngineUnusable("the LiveKit engine reported a panic and is unusable: " + panic)
                : new FfiException.EngineUnusable("the LiveKit engine is closed");
    }

    /**
     * A Panic event: every pending call fails, every room and stream ends, and every later request on this
     * instance is refused. The process should be recycled (a real Rust panic aborts the process instead:
     * the engine is built with panic=abort, so this event comes from the engine's own checks).
     */
    void onPanic(String message) {
        panicMessage = message;
        State prev = state.getAndUpdate(s -> s == State.RUNNING ? State.FAILED : s);
        LOG.log(Level.ERROR, "livekit-ffi reported a panic: {0}", message);
        FfiException.EngineUnusable failure = unusable();
        for (Pending<?> p : List.copyOf(pending.values())) {
            p.future.completeExceptionally(failure);
        }
        for (Room r : List.copyOf(rooms.values())) {
            r.onEngineFailed(message);
        }
        List<AudioStream> open;
        synchronized (streamLock) {
            open = List.copyOf(streams.values());
        }
        for (AudioStream s : open) {
            s.onEngineFailed(message);
        }
        if (prev == State.RUNNING) {
            try {
                options.onPanic().accept(message);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "onPanic listener failed", e);
            }
        }
    }

    /**
     * Closes rooms (disconnects them), drops handles still open (reported as leaks), disposes the engine
     * and stops the dispatcher. Idempotent.
     */
    @Override
    public void close() {
        synchronized (LIFECYCLE) {
            State s = state.get();
            if (s == State.CLOSED || s == State.CLOSING) {
                return;
            }
            state.set(State.CLOSING);
            try {
                for (Room r : List.copyOf(rooms.values())) {
                    try {
                        r.close();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "closing room on engine shutdown failed", e);
                    }
                }
                List<AudioStream> open;
                synchronized (streamLock) {
                    open = List.copyOf(streams.values());
                }
                open.forEach(AudioStream::close);
                for (FfiHandle h : List.copyOf(handles.values())) {
                    LOG.log(Level.WARNING, "handle {0} still open when the engine closed: dropping it", h);
                    h.close();
                }
                long t0 = System.nanoTime();
                try {
                    lib.dispose.invokeExact();
                } catch (Throwable t) {
                    LOG.log(Level.ERROR, "livekit_ffi_dispose failed", t);
                }
                LOG.log(Level.DEBUG, () -> "livekit_ffi_dispose took " + (System.nanoTime() - t0) / 1000 + " µs");
            } finally {
                FfiException.EngineUnusable closed = new FfiException.EngineUnusable("the LiveKit engine is closed");
                for (Pending<?> p : List.copyOf(pending.values())) {
                    p.future.completeExceptionally(closed);
                }
                stopDispatcher();
                state.set(State.CLOSED);
                current = null;
            }
        }
    }

    private void stopDispatcher() {
        dispatcherStop = true;
        LockSupport.unpark(dispatcher);
        try {
            dispatcher.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The callback and the dispatcher
    // ------------------------------------------------------------------------------------------------

    /** The upcall target: {@code void cb(const uint8_t *data, size_t len)}. Copies, hands off, returns. */
    static void onNativeEvent(MemorySegment data, long len) {
        try {
            LiveKitEngine engine = current;
            if (engine == null) {
                EngineCounters.upcallWithoutEngine();
                return;
            }
            byte[] copy = data.reinterpret(len).toArray(JAVA_BYTE);
            engine.inbox.offer(copy);
            LockSupport.unpark(engine.dispatcher);
        } catch (Throwable t) {
            EngineCounters.upcallFailed(); // never let anything escape into the engine's thread
        }
    }

    private void dispatchLoop() {
        while (true) {
            byte[] bytes = inbox.poll();
            if (bytes == null) {
                if (dispatcherStop) {
                    return;
                }
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
                continue;
            }
            try {
                dispatch(bytes);
            } catch (Throwable t) {
                counters.dispatchErrors.increment();
                LOG.log(Level.ERROR, "failed to dispatch an engine event", t);
            }
        }
    }

    private void dispatch(byte[] bytes) throws InvalidProtocolBufferException {
        counters.eventsReceived.increment();
        FfiEvent event = FfiEvent.parser().parsePartialFrom(bytes);
        switch (event.getMessageCase()) {
            case LOGS -> engineLogs.batch(event.getLogs().getRecordsList());
            case PANIC -> onPanic(event.getPanic().getMessage());
            case ROOM_EVENT -> {
                RoomEvent re = event.getRoomEvent();
                Room room = rooms.get(re.getRoomHandle());
                if (room != null) {
                    room.onEvent(re);
                } else {
                    sweep(event);
                }
            }
            case AUDIO_STREAM_EVENT -> onAudioStreamEvent(event.getAudioStreamEvent());
            case MESSAGE_NOT_SET -> LOG.log(Level.DEBUG, "engine event of a type this binding does not declare ({0} bytes)", bytes.length);
            default -> completeCallback(event);
        }
    }

    private void completeCallback(FfiEvent event) {
        long asyncId = asyncIdOf(event);
        Pending<?> call = asyncId == 0 ? null : pending.remove(asyncId);
        if (call == null) {
            counters.orphanCallbacks.increment();
            LOG.log(Level.DEBUG, "callback {0} for async id {1} has no waiter: cleaning up", event.getMessageCase(), asyncId);
            sweep(event);
            return;
        }
        if (!call.sent) {
            counters.callbacksBeforeReturn.increment(); // why the waiter is registered before sending
        }
        call.complete(event);
    }

    /** The async_id of a callback: field 1 of the message in FfiEvent's oneof. */
    static long asyncIdOf(FfiEvent event) {
        OneofDescriptor oneof = FfiEvent.getDescriptor().getOneofs().get(0);
        FieldDescriptor field = event.getOneofFieldDescriptor(oneof);
        if (field == null || field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
            return 0;
        }
        Message m = (Message) event.getField(field);
        FieldDescriptor idField = m.getDescriptorForType().findFieldByName("async_id");
        return idField == null ? 0 : (long) m.getField(idField);
    }

    private void onAudioStreamEvent(AudioStreamEvent ev) {
        synchronized (streamLock) {
            AudioStream stream = streams.get(ev.getStreamHandle());
            if (stream != null) {
                stream.onEvent(ev);
                return;
            }
            if (streamCreations > 0) { // its NewAudioStream response may not be back yet
                earlyStreamEvents.computeIfAbsent(ev.getStreamHandle(), k -> new ArrayList<>()).add(ev);
                return;
            }
        }
        counters.unroutedFrames.increment();
        sweepAudio(ev);
    }

    void beginStreamCreation() {
        synchronized (streamLock) {
            streamCreations++;
        }
    }

    /** Registers the new stream (null if creation failed) and hands it the events that arrived first. */
    void endStreamCreation(AudioStream stream) {
        List<AudioStreamEvent> toSweep = new ArrayList<>();
        synchronized (streamLock) {
            if (stream != null) {
                streams.put(stream.handleId(), stream);
                List<AudioStreamEvent> early = earlyStreamEvents.remove(stream.handleId());
                if (early != null) {
                    early.forEach(stream::onEvent);
                }
            }
            streamCreations--;
            if (streamCreations == 0) {
                earlyStreamEvents.values().forEach(toSweep::addAll);
                earlyStreamEvents.clear();
            }
        }
        toSweep.forEach(this::sweepAudio);
    }

    void unregisterStream(long handleId) {
        synchronized (streamLock) {
            streams.remove(handleId);
        }
    }

    void registerRoom(long roomHandle, Room room) {
        rooms.put(roomHandle, room);
    }

    void unregisterRoom(long roomHandle) {
        rooms.remove(roomHandle);
    }

    // ---- dropping what nobody will use ----

    private void sweepAudio(AudioStreamEvent ev) {
        if (ev.hasFrameReceived()) {
            dropRaw(ev.getFrameReceived().getFrame().getHandle().getId(), "audio frame");
        }
    }

    void sweepRoomEvent(RoomEvent ev) {
        sweep(FfiEvent.newBuilder().setRoomEvent(ev).build());
    }

    /** Drops the owned handles carried by an event nobody is waiting for. */
    private void sweep(FfiEvent event) {
        switch (event.getMessageCase()) {
            case ROOM_EVENT -> {
                RoomEvent re = event.getRoomEvent();
                switch (re.getMessageCase()) {
                    case PARTICIPANT_CONNECTED -> dropRaw(re.getParticipantConnected().getInfo().getHandle().getId(), "participant");
                    case TRACK_PUBLISHED -> dropRaw(re.getTrackPublished().getPublication().getHandle().getId(), "publication");
                    case TRACK_SUBSCRIBED -> dropRaw(re.getTrackSubscribed().getTrack().getHandle().getId(), "track");
                    case DATA_PACKET_RECEIVED -> {
                        if (re.getDataPacketReceived().hasUser()) {
                            dropRaw(re.getDataPacketReceived().getUser().getData().getHandle().getId(), "buffer");
                        }
                    }
                    case BYTE_STREAM_OPENED -> dropRaw(re.getByteStreamOpened().getReader().getHandle().getId(), "byte reader");
                    case TEXT_STREAM_OPENED -> dropRaw(re.getTextStreamOpened().getReader().getHandle().getId(), "text reader");
                    case DATA_TRACK_PUBLISHED -> dropRaw(re.getDataTrackPublished().getTrack().getHandle().getId(), "data track");
                    default -> { }
                }
            }
            case CONNECT -> {
                ConnectCallback cb = event.getConnect();
                if (cb.hasResult()) { // a connect whose caller gave up: leave the room, drop everything
                    ConnectCallback.Result r = cb.getResult();
                    long roomHandle = r.getRoom().getHandle().getId();
                    try {
                        send(FfiRequest.newBuilder().setDisconnect(RoomProto.DisconnectRequest.newBuilder()
                                .setRoomHandle(roomHandle).setRequestAsyncId(nextAsyncId())).build());
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "could not disconnect an abandoned room", e);
                    }
                    for (ConnectCallback.ParticipantWithTracks p : r.getParticipantsList()) {
                        p.getPublicationsList().forEach(pub -> dropRaw(pub.getHandle().getId(), "publication"));
                        dropRaw(p.getParticipant().getHandle().getId(), "participant");
                    }
                    dropRaw(r.getLocalParticipant().getHandle().getId(), "participant");
                    dropRaw(roomHandle, "room");
                }
            }
            case PUBLISH_TRACK -> {
                if (event.getPublishTrack().hasPublication()) {
                    dropRaw(event.getPublishTrack().getPublication().getHandle().getId(), "publication");
                }
            }
            case TEXT_STREAM_OPEN -> {
                if (event.getTextStreamOpen().hasWriter()) {
                    dropRaw(event.getTextStreamOpen().getWriter().getHandle().getId(), "text writer");
                }
            }
            case AUDIO_STREAM_EVENT -> sweepAudio(event.getAudioStreamEvent());
            default -> { }
        }
    }

    private static final class Pending<T> {
        final long asyncId;
        final String what;
        final Function<FfiEvent, T> onDispatcher;
        final CompletableFuture<T> future = new CompletableFuture<>();
        volatile boolean sent;

        Pending(long asyncId, String what, Function<FfiEvent, T> onDispatcher) {
            this.asyncId = asyncId;
            this.what = what;
            this.onDispatcher = onDispatcher;
        }

        void complete(FfiEvent event) {
            T result;
            try {
                result = onDispatcher.apply(event);
            } catch (Throwable t) {
                future.completeExceptionally(t);
                return;
            }
            if (!future.complete(result) && result instanceof AutoCloseable c) {
                try { // the caller gave up before the result came: release it
                    c.close();
                } catch (Exception e) {
                    LOG.log(Level.WARNING, "closing an abandoned result of " + what + " failed", e);
                }
            }
        }
    }
}
