package dev.switchboard.livekit.ffi;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what passes between the binding and the engine, for tests and metrics ({@link LiveKitEngine#stats()}).
 * Upcall failures are counted for the process: the upcall target is one for all engine instances.
 */
final class EngineCounters {
    private static final LongAdder UPCALL_ERRORS = new LongAdder();
    private static final LongAdder UPCALLS_WITHOUT_ENGINE = new LongAdder();

    final LongAdder requests = new LongAdder();
    final LongAdder eventsReceived = new LongAdder();
    /** Callbacks nobody waited for (their caller gave up): their handles were dropped. */
    final LongAdder orphanCallbacks = new LongAdder();
    /** Callbacks that arrived before their request returned: why waiters are registered before sending. */
    final LongAdder callbacksBeforeReturn = new LongAdder();
    /** Audio frames of streams the binding does not know (any more): dropped. */
    final LongAdder unroutedFrames = new LongAdder();
    final LongAdder dispatchErrors = new LongAdder();

    static void upcallFailed() {
        UPCALL_ERRORS.increment();
    }

    static void upcallWithoutEngine() {
        UPCALLS_WITHOUT_ENGINE.increment();
    }

    EngineStats snapshot(long engineLogRecords, int openHandles, int pendingCalls) {
        return new EngineStats(requests.sum(), eventsReceived.sum(), engineLogRecords, callbacksBeforeReturn.sum(),
                orphanCallbacks.sum(), unroutedFrames.sum(), UPCALL_ERRORS.sum(), dispatchErrors.sum(), openHandles, pendingCalls);
    }
}
