package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.TrackProto.TrackKind;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackPublicationInfo;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackSource;

/** A track publication (local or remote). Owned by its room: closed when the track is unpublished or the room closes. */
public final class TrackPublication implements AutoCloseable {
    private final FfiHandle handle;
    private final TrackPublicationInfo info;

    TrackPublication(FfiHandle handle, TrackPublicationInfo info) {
        this.handle = handle;
        this.info = info;
    }

    public String sid() {
        return info.getSid();
    }

    public String name() {
        return info.getName();
    }

    public TrackKind kind() {
        return info.getKind();
    }

    public TrackSource source() {
        return info.getSource();
    }

    public String mimeType() {
        return info.getMimeType();
    }

    public boolean remote() {
        return info.getRemote();
    }

    FfiHandle handle() {
        return handle;
    }

    @Override
    public void close() {
        handle.close();
    }

    @Override
    public String toString() {
        return "TrackPublication[" + sid() + " " + kind() + " " + source() + "]";
    }
}
