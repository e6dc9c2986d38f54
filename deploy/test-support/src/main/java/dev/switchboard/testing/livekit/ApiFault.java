package dev.switchboard.testing.livekit;

import java.time.Duration;

/** A transient fault of LiveKit's server API, injected into a method's next calls or at random. */
public sealed interface ApiFault {

    /** A short name for counting injected faults ("HTTP 503", "timeout", "vanished"). */
    String kind();

    /** The call is answered with this HTTP status (and the Twirp code it stands for) and not carried out. */
    record HttpError(int status) implements ApiFault {
        @Override
        public String kind() {
            return "HTTP " + status;
        }
    }

    /**
     * The answer comes only after {@code delay}, longer than the client waits. With {@code carriedOut} LiveKit did the
     * work and the answer was lost; without, nothing was done (the answer is then 503 unavailable).
     */
    record Timeout(Duration delay, boolean carriedOut) implements ApiFault {
        @Override
        public String kind() {
            return carriedOut ? "timeout (done)" : "timeout";
        }
    }

    /** The room is closed under the call (the caller hung up, LiveKit closed it), so the call finds it gone: 404. */
    record RoomVanished() implements ApiFault {
        @Override
        public String kind() {
            return "vanished";
        }
    }
}
