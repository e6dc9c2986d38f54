package dev.switchboard.testing.livekit;

import com.google.protobuf.Message;

/** What the fake answers one API call with: the method's response message, or a Twirp error. */
sealed interface Answer {

    record Ok(Message response) implements Answer {
    }

    record Failed(TwirpError error) implements Answer {
    }

    static Answer ok(Message response) {
        return new Ok(response);
    }

    static Answer failed(String code, String msg) {
        return new Failed(TwirpError.of(code, msg));
    }

    default int status() {
        return switch (this) {
            case Ok ok -> 200;
            case Failed failed -> failed.error().httpStatus();
        };
    }
}
