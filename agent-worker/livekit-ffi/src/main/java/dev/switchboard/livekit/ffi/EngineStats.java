package dev.switchboard.livekit.ffi;

/** What an engine has done so far, for tests and metrics: see {@link EngineCounters}. */
public record EngineStats(long requests, long eventsReceived, long engineLogRecords, long callbacksBeforeRequestReturned,
                          long orphanCallbacks, long unroutedFrames, long upcallErrors, long dispatchErrors, int openHandles,
                          int pendingCalls) {
}
