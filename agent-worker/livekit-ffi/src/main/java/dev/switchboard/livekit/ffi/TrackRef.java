package dev.switchboard.livekit.ffi;

/** A track an {@link AudioStream} can read: a remote track the room subscribed to, or a local track. */
public interface TrackRef {
    FfiHandle handle();

    String sid();
}
