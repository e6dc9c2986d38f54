package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.TrackProto.TrackInfo;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackKind;

/** A remote track the room subscribed to. Owned by its room: closed on unsubscribe, participant departure or room close. */
public final class RemoteTrack implements TrackRef, AutoCloseable {
    private final FfiHandle handle;
    private final TrackInfo info;
    private final String participantIdentity;

    RemoteTrack(FfiHandle handle, TrackInfo info, String participantIdentity) {
        this.handle = handle;
        this.info = info;
        this.participantIdentity = participantIdentity;
    }

    @Override
    public FfiHandle handle() {
        return handle;
    }

    @Override
    public String sid() {
        return info.getSid();
    }

    public String name() {
        return info.getName();
    }

    public TrackKind kind() {
        return info.getKind();
    }

    public String participantIdentity() {
        return participantIdentity;
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "RemoteTrack[" + sid() + " " + kind() + " of " + participantIdentity + "]";
    }
}
