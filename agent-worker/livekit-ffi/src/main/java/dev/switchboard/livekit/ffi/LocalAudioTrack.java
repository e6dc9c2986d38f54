package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import dev.switchboard.livekit.ffi.proto.TrackProto;

/** A local audio track fed by an {@link AudioSource}; publish it with {@link Room#publishTrack}. */
public final class LocalAudioTrack implements TrackRef, AutoCloseable {

    private final LiveKitEngine engine;
    private final FfiHandle handle;
    private final TrackProto.TrackInfo info;

    private LocalAudioTrack(LiveKitEngine engine, FfiHandle handle, TrackProto.TrackInfo info) {
        this.engine = engine;
        this.handle = handle;
        this.info = info;
    }

    public static LocalAudioTrack create(LiveKitEngine engine, String name, AudioSource source) {
        var response = engine.request(FfiRequest.newBuilder().setCreateAudioTrack(TrackProto.CreateAudioTrackRequest.newBuilder()
                .setName(name).setSourceHandle(source.handle().id())).build());
        TrackProto.OwnedTrack track = response.getCreateAudioTrack().getTrack();
        return new LocalAudioTrack(engine, engine.adopt(track.getHandle().getId(), "local track"), track.getInfo());
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

    public boolean mute(boolean mute) {
        return engine.request(FfiRequest.newBuilder().setLocalTrackMute(TrackProto.LocalTrackMuteRequest.newBuilder()
                .setTrackHandle(handle.id()).setMute(mute)).build()).getLocalTrackMute().getMuted();
    }

    @Override
    public void close() {
        handle.close();
    }
}
