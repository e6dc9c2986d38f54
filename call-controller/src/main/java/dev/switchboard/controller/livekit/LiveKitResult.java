package dev.switchboard.controller.livekit;

/**
 * What one LiveKit server API call came to, as the hang-up policy needs it: done, the room or participant does
 * not exist (which a hang-up counts as success), worth retrying (I/O error, timeout, HTTP 5xx, 429), or not
 * (bad credentials, missing grant, bad request).
 */
public sealed interface LiveKitResult<T> {

    record Done<T>(T value) implements LiveKitResult<T> {
    }

    record NotFound<T>(String message) implements LiveKitResult<T> {
    }

    record TransientFailure<T>(String message) implements LiveKitResult<T> {
    }

    record PermanentFailure<T>(String message) implements LiveKitResult<T> {
    }
}
