package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.ParticipantInfo;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.ParticipantKind;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A participant as the room last described it. Identity, kind and attributes are what an agent needs
 * to recognise a SIP caller ({@code kind() == PARTICIPANT_KIND_SIP}, attributes {@code sip.phoneNumber},
 * {@code sip.callStatus}, ...). Owned by its room.
 */
public final class Participant implements AutoCloseable {
    private final FfiHandle handle;
    private final boolean local;
    private final String sid;
    private final String identity;
    private final String name;
    private final ParticipantKind kind;
    private volatile String metadata;
    private volatile Map<String, String> attributes;
    private volatile DisconnectReason disconnectReason;
    final Map<String, TrackPublication> publications = new ConcurrentHashMap<>();
    final Map<String, RemoteTrack> tracks = new ConcurrentHashMap<>();

    Participant(FfiHandle handle, ParticipantInfo info, boolean local) {
        this.handle = handle;
        this.local = local;
        this.sid = info.getSid();
        this.identity = info.getIdentity();
        this.name = info.getName();
        this.kind = info.getKind();
        this.metadata = info.getMetadata();
        this.attributes = Map.copyOf(info.getAttributesMap());
        this.disconnectReason = info.getDisconnectReason();
    }

    public boolean isLocal() {
        return local;
    }

    public String sid() {
        return sid;
    }

    public String identity() {
        return identity;
    }

    public String name() {
        return name;
    }

    public ParticipantKind kind() {
        return kind;
    }

    public boolean isSip() {
        return kind == ParticipantKind.PARTICIPANT_KIND_SIP;
    }

    public String metadata() {
        return metadata;
    }

    public Map<String, String> attributes() {
        return attributes;
    }

    public DisconnectReason disconnectReason() {
        return disconnectReason;
    }

    public Map<String, TrackPublication> publications() {
        return Map.copyOf(publications);
    }

    public Map<String, RemoteTrack> tracks() {
        return Map.copyOf(tracks);
    }

    FfiHandle handle() {
        return handle;
    }

    void setMetadata(String metadata) {
        this.metadata = metadata;
    }

    void setAttributes(Map<String, String> attributes) {
        this.attributes = Map.copyOf(attributes);
    }

    void setDisconnectReason(DisconnectReason reason) {
        this.disconnectReason = reason;
    }

    /** Closes the participant's tracks and publications, then its handle. */
    @Override
    public void close() {
        tracks.values().forEach(RemoteTrack::close);
        tracks.clear();
        publications.values().forEach(TrackPublication::close);
        publications.clear();
        handle.close();
    }

    @Override
    public String toString() {
        return "Participant[" + identity + " " + kind + (local ? " local" : "") + "]";
    }
}
