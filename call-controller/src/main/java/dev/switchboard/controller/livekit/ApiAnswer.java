package dev.switchboard.controller.livekit;

import java.util.function.Function;

/**
 * What one call of LiveKit's server API came to, before any policy: an answer, an error answer, or no answer. The
 * difference between {@link NotSent} and {@link NoAnswer} matters for calls that must not be repeated once LiveKit
 * may have acted (placing a phone call): only a request that never left is certainly without effect.
 */
public sealed interface ApiAnswer<T> {

    /** LiveKit did it. */
    record Ok<T>(T value) implements ApiAnswer<T> {
    }

    /** LiveKit answered with an error. */
    record Refused<T>(TwirpError error) implements ApiAnswer<T> {
    }

    /** The request never reached LiveKit (no connection): nothing happened. */
    record NotSent<T>(String message) implements ApiAnswer<T> {
    }

    /** The request was sent but no answer came (timeout, connection lost): LiveKit may or may not have acted. */
    record NoAnswer<T>(String message) implements ApiAnswer<T> {
    }

    /** The SDK could not even build the request (signing, encoding): nothing was sent, and retrying will not help. */
    record SdkFailure<T>(String message) implements ApiAnswer<T> {
    }

    /** The same answer with the value converted. */
    default <R> ApiAnswer<R> map(Function<T, R> convert) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(convert.apply(ok.value()));
            case Refused<T> refused -> new Refused<>(refused.error());
            case NotSent<T> notSent -> new NotSent<>(notSent.message());
            case NoAnswer<T> noAnswer -> new NoAnswer<>(noAnswer.message());
            case SdkFailure<T> failure -> new SdkFailure<>(failure.message());
        };
    }

    /** A one-line account for logs and reasons. */
    default String describe() {
        return switch (this) {
            case Ok<T> ok -> "done";
            case Refused<T> refused -> refused.error().describe();
            case NotSent<T> notSent -> notSent.message();
            case NoAnswer<T> noAnswer -> noAnswer.message();
            case SdkFailure<T> failure -> failure.message();
        };
    }
}
