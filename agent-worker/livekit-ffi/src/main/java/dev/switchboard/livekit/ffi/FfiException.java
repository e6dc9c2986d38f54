package dev.switchboard.livekit.ffi;

/** A failure reported by, or about, LiveKit's native engine. Unchecked: most callers can only give up the call. */
public class FfiException extends RuntimeException {

    public FfiException(String message) {
        super(message);
    }

    public FfiException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The engine library cannot be found or loaded; the message says what is missing and how to get it. */
    public static final class Unavailable extends FfiException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code livekit_ffi_request} returned the invalid handle: a bad handle, a wrong handle type or a malformed request. */
    public static final class Rejected extends FfiException {
        private final String requestType;

        public Rejected(String requestType) {
            super("the engine rejected the " + requestType + " request (invalid or unknown handle, or malformed request;"
                    + " the engine's log says which)");
            this.requestType = requestType;
        }

        public String requestType() {
            return requestType;
        }
    }

    /** An asynchronous operation completed with an error string from the engine (e.g. ConnectCallback.error). */
    public static final class OperationFailed extends FfiException {
        public OperationFailed(String message) {
            super(message);
        }
    }

    /** No callback within the caller's deadline. The late callback, if any, is cleaned up by the binding. */
    public static final class Timeout extends FfiException {
        public Timeout(String message) {
            super(message);
        }
    }

    /** The engine is closed, or reported a Panic: nothing more can be asked of this engine instance. */
    public static final class EngineUnusable extends FfiException {
        public EngineUnusable(String message) {
            super(message);
        }

        public EngineUnusable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
