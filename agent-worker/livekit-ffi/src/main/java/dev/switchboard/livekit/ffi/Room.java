package dev.switchboard.livekit.ffi;

import dev.switchboard.livekit.ffi.proto.DataStreamProto;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiEvent;
import dev.switchboard.livekit.ffi.proto.FfiProto.FfiRequest;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.OwnedParticipant;
import dev.switchboard.livekit.ffi.proto.RoomProto;
import dev.switchboard.livekit.ffi.proto.RoomProto.AttributesEntry;
import dev.switchboard.livekit.ffi.proto.RoomProto.ConnectCallback;
import dev.switchboard.livekit.ffi.proto.TrackProto.OwnedTrackPublication;
import dev.switchboard.livekit.ffi.proto.TrackProto.TrackSource;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A room joined through the engine. {@link #connect} returns once the engine connected and the ready
 * handshake is done; events then queue up in {@link #nextEvent}. Closing the room disconnects it and
 * drops every handle it owns (participants, publications, subscribed tracks, its own).
 */
public final class Room implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Room.class.getName());

    /** Connection options (the engine's RoomOptions, as far as an agent needs them). */
    public record ConnectOptions(boolean autoSubscribe, boolean adaptiveStream, boolean dynacast, int joinRetries,
            Duration signalConnectTimeout) {
        public static ConnectOptions defaults() {
            return new ConnectOptions(true, false, false, 3, Duration.ofSeconds(5));
        }

        public ConnectOptions withJoinRetries(int retries) {
            return new ConnectOptions(autoSubscribe, adaptiveStream, dynacast, retries, signalConnectTimeout);
        }

        public ConnectOptions withSignalConnectTimeout(Duration timeout) {
            return new ConnectOptions(autoSubscribe, adaptiveStream, dynacast, joinRetries, timeout);
        }

        RoomProto.RoomOptions toProto() {
            return RoomProto.RoomOptions.newBuilder()
                    .setAutoSubscribe(autoSubscribe)
                    .setAdaptiveStream(adaptiveStream)
                    .setDynacast(dynacast)
                    .setJoinRetries(joinRetries)
                    .setConnectTimeoutMs(signalConnectTimeout.toMillis())
                    // The two-connection signalling every LiveKit server supports (the engine otherwise tries the
                    // newer single-connection path first); it is also the path the tests run against.
                    .setSinglePeerConnection(false)
                    .build();
        }
    }

    /** Publishing options for an audio track. */
    public record PublishOptions(TrackSource source, boolean dtx, boolean red, long maxBitrate) {
        public static PublishOptions microphone() {
            return new PublishOptions(TrackSource.SOURCE_MICROPHONE, true, true, 0);
        }

        RoomProto.TrackPublishOptions toProto() {
            RoomProto.TrackPublishOptions.Builder b = RoomProto.TrackPublishOptions.newBuilder()
                    .setSource(source).setDtx(dtx).setRed(red);
            if (maxBitrate > 0) {
                b.setAudioEncoding(RoomProto.AudioEncoding.newBuilder().setMaxBitrate(maxBitrate));
            }
            return b.build();
        }
    }

    private final LiveKitEngine engine;
    private final FfiHandle handle;
    private final long roomHandleId;
    private final String name;
    private volatile String sid;
    private final Participant local;
    private final Map<String, Participant> remotes = new ConcurrentHashMap<>();
    private final Map<String, TrackPublication> localPublications = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<RoomEvent> events = new LinkedBlockingQueue<>();
    private final AtomicBoolean disconnectSent = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean cleaned; // guarded by this: handles released, events are swept from now on
    private volatile DisconnectReason disconnectReason;

    private Room(LiveKitEngine engine, ConnectCallback.Result result) {
        this.engine = engine;
        this.roomHandleId = result.getRoom().getHandle().getId();
        this.handle = engine.adopt(roomHandleId, "room");
        this.name = result.getRoom().getInfo().getName();
        this.sid = result.getRoom().getInfo().getSid();
        this.local = participant(result.getLocalParticipant(), true);
        for (ConnectCallback.ParticipantWithTracks p : result.getParticipantsList()) {
            Participant remote = participant(p.getParticipant(), false);
            for (OwnedTrackPublication pub : p.getPublicationsList()) {
                remote.publications.put(pub.getInfo().getSid(), publication(pub));
            }
            remotes.put(remote.identity(), remote);
        }
    }

    /**
     * Connects with a token (the assignment's, for an agent). Fails with {@link FfiException.OperationFailed}
     * carrying the engine's ConnectCallback error, or {@link FfiException.Timeout}.
     */
    public static Room connect(LiveKitEngine engine, String url, String token, ConnectOptions options, Duration timeout) {
        Objects.requireNonNull(url);
        Objects.requireNonNull(token);
        return engine.call("connect to " + url,
                id -> FfiRequest.newBuilder().setConnect(RoomProto.ConnectRequest.newBuilder()
                        .setUrl(url).setToken(token).setOptions(options.toProto()).setRequestAsyncId(id)).build(),
                ev -> onConnectCallback(engine, ev),
                timeout);
    }

    /** Runs on the dispatcher: owns the handles, routes the room's events, then lets the engine send them. */
    private static Room onConnectCallback(LiveKitEngine engine, FfiEvent ev) {
        ConnectCallback cb = ev.getConnect();
        if (!cb.hasResult()) {
            throw new FfiException.OperationFailed("connect failed: " + cb.getError());
        }
        Room room = new Room(engine, cb.getResult());
        engine.registerRoom(room.roomHandleId, room);
        try {
            engine.request(FfiRequest.newBuilder().setReadyForRoomEvent(
                    RoomProto.ReadyForRoomEventRequest.newBuilder().setRoomHandle(room.roomHandleId)).build());
        } catch (RuntimeException e) {
            room.close();
            throw e;
        }
        return room;
    }

    private Participant participant(OwnedParticipant p, boolean isLocal) {
        return new Participant(engine.adopt(p.getHandle().getId(), isLocal ? "local participant" : "participant"),
                p.getInfo(), isLocal);
    }

    private TrackPublication publication(OwnedTrackPublication pub) {
        return new TrackPublication(engine.adopt(pub.getHandle().getId(), "publication"), pub.getInfo());
    }

    public String name() {
        return name;
    }

    public String sid() {
        return sid;
    }

    public Participant localParticipant() {
        return local;
    }

    public Map<String, Participant> remoteParticipants() {
        return Map.copyOf(remotes);
    }

    public boolean isClosed() {
        return closed.get();
    }

    /** Why this client was disconnected, once it was. */
    public DisconnectReason disconnectReason() {
        return disconnectReason;
    }

    /** The next event, waiting at most {@code timeout}; null if none came. */
    public RoomEvent nextEvent(Duration timeout) throws InterruptedException {
        return events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    public RoomEvent pollEvent() {
        return events.poll();
    }

    // ------------------------------------------------------------------------------------------------
    // Local participant
    // ------------------------------------------------------------------------------------------------

    /** Publishes a local audio track; the publication is owned by the room. */
    public TrackPublication publishTrack(LocalAudioTrack track, PublishOptions options, Duration timeout) {
        long participant = local.handle().id();
        long trackHandle = track.handle().id();
        TrackPublication pub = engine.call("publish track " + track.name(),
                id -> FfiRequest.newBuilder().setPublishTrack(RoomProto.PublishTrackRequest.newBuilder()
                        .setLocalParticipantHandle(participant).setTrackHandle(trackHandle)
                        .setOptions(options.toProto()).setRequestAsyncId(id)).build(),
                ev -> {
                    RoomProto.PublishTrackCallback cb = ev.getPublishTrack();
                    if (!cb.hasPublication()) {
                        throw new FfiException.OperationFailed("publish failed: " + cb.getError());
                    }
                    return publication(cb.getPublication());
                },
                timeout);
        localPublications.put(pub.sid(), pub);
        return pub;
    }

    public void unpublishTrack(TrackPublication publication, boolean stopOnUnpublish, Duration timeout) {
        long participant = local.handle().id();
        String sidToRemove = publication.sid();
        engine.call("unpublish track " + sidToRemove,
                id -> FfiRequest.newBuilder().setUnpublishTrack(RoomProto.UnpublishTrackRequest.newBuilder()
                        .setLocalParticipantHandle(participant).setTrackSid(sidToRemove)
                        .setStopOnUnpublish(stopOnUnpublish).setRequestAsyncId(id)).build(),
                ev -> {
                    if (ev.getUnpublishTrack().hasError()) {
                        throw new FfiException.OperationFailed("unpublish failed: " + ev.getUnpublishTrack().getError());
                    }
                    return Boolean.TRUE;
                },
                timeout);
        localPublications.remove(sidToRemove);
        publication.close();
    }

    /**
     * Sends a SIP DTMF tone to the room (a reliable {@code sip_dtmf} data packet; LiveKit's SIP bridge plays it to the
     * phone) and waits until the engine has sent it. {@code code} must be the RFC 4733 code of {@code digit}
     * ({@link SipDtmf}); otherwise {@link IllegalArgumentException}. Fails with {@link FfiException.OperationFailed}
     * carrying the engine's error, or {@link FfiException.Timeout}. The first data this participant sends makes the
     * engine open its publisher connection, so the first call may take a round of WebRTC negotiation.
     */
    public void publishSipDtmf(int code, String digit, Duration timeout) {
        publishSipDtmf(code, digit, List.of(), timeout);
    }

    /** {@link #publishSipDtmf(int, String, Duration)} for these participants only (empty: everyone). */
    public void publishSipDtmf(int code, String digit, List<String> destinationIdentities, Duration timeout) {
        SipDtmf.requireConsistent(code, digit);
        List<String> destinations = List.copyOf(destinationIdentities);
        long participant = local.handle().id();
        engine.call("publish SIP DTMF " + digit,
                id -> FfiRequest.newBuilder().setPublishSipDtmf(RoomProto.PublishSipDtmfRequest.newBuilder()
                        .setLocalParticipantHandle(participant).setCode(code).setDigit(digit)
                        .addAllDestinationIdentities(destinations).setRequestAsyncId(id)).build(),
                ev -> {
                    if (ev.getPublishSipDtmf().hasError()) {
                        throw new FfiException.OperationFailed("SIP DTMF " + digit + " failed: " + ev.getPublishSipDtmf().getError());
                    }
                    return Boolean.TRUE;
                },
                timeout);
    }

    /** {@link #publishSipDtmf(int, String, Duration)} with the digit's code. */
    public void publishSipDtmf(char digit, Duration timeout) {
        publishSipDtmf(SipDtmf.code(digit), String.valueOf(digit), timeout);
    }

    /**
     * Opens an outgoing text stream (e.g. topic {@code lk.transcription} with attributes
     * {@code lk.segment_id}, {@code lk.transcribed_track_id}). {@code senderIdentity} null means this
     * participant; another identity (captions on a user's behalf) needs the permission to impersonate.
     */
    public TextStreamWriter streamText(String topic, Map<String, String> attributes, String senderIdentity,
            List<String> destinationIdentities, Duration timeout) {
        long participant = local.handle().id();
        DataStreamProto.StreamTextOptions.Builder opts = DataStreamProto.StreamTextOptions.newBuilder()
                .setTopic(topic).putAllAttributes(attributes).addAllDestinationIdentities(destinationIdentities)
                .setSenderIdentity(senderIdentity != null ? senderIdentity : local.identity());
        return engine.call("open text stream " + topic,
                id -> FfiRequest.newBuilder().setTextStreamOpen(DataStreamProto.TextStreamOpenRequest.newBuilder()
                        .setLocalParticipantHandle(participant).setOptions(opts).setRequestAsyncId(id)).build(),
                ev -> {
                    DataStreamProto.TextStreamOpenCallback cb = ev.getTextStreamOpen();
                    if (!cb.hasWriter()) {
                        throw new FfiException.OperationFailed("text stream open failed: " + cb.getError().getDescription());
                    }
                    return new TextStreamWriter(engine, engine.adopt(cb.getWriter().getHandle().getId(), "text writer"),
                            cb.getWriter().getInfo());
                },
                timeout);
    }

    // ------------------------------------------------------------------------------------------------
    // Leaving
    // ------------------------------------------------------------------------------------------------

    /** Leaves the room (once) and waits for the engine to confirm. */
    public void disconnect(DisconnectReason reason, Duration timeout) {
        if (closed.get() || !disconnectSent.compareAndSet(false, true)) {
            return;
        }
        engine.callWhileClosing("disconnect " + name,
                id -> FfiRequest.newBuilder().setDisconnect(RoomProto.DisconnectRequest.newBuilder()
                        .setRoomHandle(roomHandleId).setReason(reason).setRequestAsyncId(id)).build(),
                ev -> Boolean.TRUE, timeout);
    }

    /**
     * Disconnects if still connected (client initiated; without waiting when called on the dispatcher thread
     * or with an unusable engine), stops routing events and closes every handle the room owns. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (disconnectSent.compareAndSet(false, true) && engine.acceptsRequests()) {
                if (engine.isDispatcherThread()) { // must not wait there: the callback is swept as an orphan
                    engine.requestWhileClosing(FfiRequest.newBuilder().setDisconnect(RoomProto.DisconnectRequest.newBuilder()
                            .setRoomHandle(roomHandleId).setReason(DisconnectReason.CLIENT_INITIATED)
                            .setRequestAsyncId(engine.nextAsyncId())).build());
                } else {
                    engine.callWhileClosing("disconnect " + name,
                            id -> FfiRequest.newBuilder().setDisconnect(RoomProto.DisconnectRequest.newBuilder()
                                    .setRoomHandle(roomHandleId).setReason(DisconnectReason.CLIENT_INITIATED)
                                    .setRequestAsyncId(id)).build(),
                            ev -> Boolean.TRUE, Duration.ofSeconds(10));
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "disconnect of room " + name + " failed; dropping its handles anyway", e);
        } finally {
            synchronized (this) { // not while an event is being applied on the dispatcher
                engine.unregisterRoom(roomHandleId);
                cleaned = true;
                remotes.values().forEach(Participant::close);
                remotes.clear();
                localPublications.values().forEach(TrackPublication::close);
                localPublications.clear();
                local.close();
                handle.close();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Events (dispatcher thread: never block here)
    // ------------------------------------------------------------------------------------------------

    void onEngineFailed(String message) {
        events.add(new RoomEvent.EngineFailed(message));
    }

    synchronized void onEvent(RoomProto.RoomEvent ev) {
        if (cleaned) { // raced with close(): drop what the event carries
            engine.sweepRoomEvent(ev);
            return;
        }
        RoomEvent out = switch (ev.getMessageCase()) {
            case PARTICIPANT_CONNECTED -> {
                Participant p = participant(ev.getParticipantConnected().getInfo(), false);
                Participant previous = remotes.put(p.identity(), p);
                if (previous != null) {
                    previous.close();
                }
                yield new RoomEvent.ParticipantConnected(p);
            }
            case PARTICIPANT_DISCONNECTED -> {
                RoomProto.ParticipantDisconnected d = ev.getParticipantDisconnected();
                Participant p = remotes.remove(d.getParticipantIdentity());
                if (p == null) {
                    yield null;
                }
                p.setDisconnectReason(d.getDisconnectReason());
                p.close();
                yield new RoomEvent.ParticipantDisconnected(p, d.getDisconnectReason());
            }
            case PARTICIPANT_ATTRIBUTES_CHANGED -> {
                RoomProto.ParticipantAttributesChanged a = ev.getParticipantAttributesChanged();
                Participant p = find(a.getParticipantIdentity());
                if (p == null) {
                    yield null;
                }
                p.setAttributes(toMap(a.getAttributesList()));
                yield new RoomEvent.ParticipantAttributesChanged(p, toMap(a.getChangedAttributesList()));
            }
            case PARTICIPANT_METADATA_CHANGED -> {
                RoomProto.ParticipantMetadataChanged m = ev.getParticipantMetadataChanged();
                Participant p = find(m.getParticipantIdentity());
                if (p == null) {
                    yield null;
                }
                p.setMetadata(m.getMetadata());
                yield new RoomEvent.ParticipantMetadataChanged(p, m.getMetadata());
            }
            case TRACK_PUBLISHED -> {
                RoomProto.TrackPublished t = ev.getTrackPublished();
                TrackPublication pub = publication(t.getPublication());
                Participant p = remotes.get(t.getParticipantIdentity());
                if (p == null) {
                    pub.close();
                    yield null;
                }
                TrackPublication previous = p.publications.put(pub.sid(), pub);
                if (previous != null) {
                    previous.close();
                }
                yield new RoomEvent.TrackPublished(p, pub);
            }
            case TRACK_UNPUBLISHED -> {
                RoomProto.TrackUnpublished t = ev.getTrackUnpublished();
                Participant p = remotes.get(t.getParticipantIdentity());
                if (p != null) {
                    TrackPublication pub = p.publications.remove(t.getPublicationSid());
                    if (pub != null) {
                        pub.close();
                    }
                }
                yield new RoomEvent.TrackUnpublished(p, t.getPublicationSid());
            }
            case TRACK_SUBSCRIBED -> {
                RoomProto.TrackSubscribed t = ev.getTrackSubscribed();
                RemoteTrack track = new RemoteTrack(engine.adopt(t.getTrack().getHandle().getId(), "track"),
                        t.getTrack().getInfo(), t.getParticipantIdentity());
                Participant p = remotes.get(t.getParticipantIdentity());
                if (p == null) {
                    track.close();
                    yield null;
                }
                RemoteTrack previous = p.tracks.put(track.sid(), track);
                if (previous != null) {
                    previous.close();
                }
                yield new RoomEvent.TrackSubscribed(p, track);
            }
            case TRACK_UNSUBSCRIBED -> {
                RoomProto.TrackUnsubscribed t = ev.getTrackUnsubscribed();
                Participant p = remotes.get(t.getParticipantIdentity());
                if (p != null) {
                    RemoteTrack track = p.tracks.remove(t.getTrackSid());
                    if (track != null) {
                        track.close();
                    }
                }
                yield new RoomEvent.TrackUnsubscribed(p, t.getTrackSid());
            }
            case TRACK_SUBSCRIPTION_FAILED -> {
                RoomProto.TrackSubscriptionFailed f = ev.getTrackSubscriptionFailed();
                yield new RoomEvent.TrackSubscriptionFailed(f.getParticipantIdentity(), f.getTrackSid(), f.getError());
            }
            case TRACK_MUTED -> new RoomEvent.TrackMuted(ev.getTrackMuted().getParticipantIdentity(),
                    ev.getTrackMuted().getTrackSid(), true);
            case TRACK_UNMUTED -> new RoomEvent.TrackMuted(ev.getTrackUnmuted().getParticipantIdentity(),
                    ev.getTrackUnmuted().getTrackSid(), false);
            case LOCAL_TRACK_PUBLISHED -> new RoomEvent.LocalTrackPublished(ev.getLocalTrackPublished().getTrackSid());
            case ACTIVE_SPEAKERS_CHANGED -> new RoomEvent.ActiveSpeakersChanged(
                    List.copyOf(ev.getActiveSpeakersChanged().getParticipantIdentitiesList()));
            case CONNECTION_STATE_CHANGED -> new RoomEvent.ConnectionStateChanged(ev.getConnectionStateChanged().getState());
            case RECONNECTING -> new RoomEvent.Reconnecting();
            case RECONNECTED -> new RoomEvent.Reconnected();
            case DISCONNECTED -> {
                disconnectReason = ev.getDisconnected().getReason();
                yield new RoomEvent.Disconnected(disconnectReason);
            }
            case ROOM_SID_CHANGED -> {
                sid = ev.getRoomSidChanged().getSid();
                yield new RoomEvent.RoomSidChanged(sid);
            }
            case EOS -> new RoomEvent.Ended();
            case DATA_PACKET_RECEIVED -> dataPacket(ev.getDataPacketReceived());
            case TEXT_STREAM_OPENED -> {
                RoomProto.TextStreamOpened t = ev.getTextStreamOpened();
                engine.dropRaw(t.getReader().getHandle().getId(), "text reader");
                yield new RoomEvent.IncomingStreamIgnored(t.getParticipantIdentity(), t.getReader().getInfo().getTopic(), true);
            }
            case BYTE_STREAM_OPENED -> {
                RoomProto.ByteStreamOpened b = ev.getByteStreamOpened();
                engine.dropRaw(b.getReader().getHandle().getId(), "byte reader");
                yield new RoomEvent.IncomingStreamIgnored(b.getParticipantIdentity(), "", false);
            }
            case DATA_TRACK_PUBLISHED -> {
                engine.dropRaw(ev.getDataTrackPublished().getTrack().getHandle().getId(), "data track");
                yield new RoomEvent.Other(ev);
            }
            default -> new RoomEvent.Other(ev);
        };
        if (out != null) {
            events.add(out);
        }
    }

    private RoomEvent dataPacket(RoomProto.DataPacketReceived d) {
        if (d.hasSipDtmf()) {
            return new RoomEvent.SipDtmfReceived(d.getParticipantIdentity(), d.getSipDtmf().getCode(), d.getSipDtmf().getDigit());
        }
        if (d.hasUser()) {
            RoomProto.OwnedBuffer buf = d.getUser().getData();
            byte[] data;
            try {
                data = MemorySegment.ofAddress(buf.getData().getDataPtr()).reinterpret(buf.getData().getDataLen())
                        .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            } finally {
                engine.dropRaw(buf.getHandle().getId(), "buffer");
            }
            return new RoomEvent.DataReceived(d.getParticipantIdentity(), d.getUser().getTopic(), data);
        }
        return null;
    }

    private Participant find(String identity) {
        return local.identity().equals(identity) ? local : remotes.get(identity);
    }

    private static Map<String, String> toMap(List<AttributesEntry> entries) {
        Map<String, String> m = new HashMap<>();
        for (AttributesEntry e : entries) {
            m.put(e.getKey(), e.getValue());
        }
        return m;
    }

    @Override
    public String toString() {
        return "Room[" + name + " " + handle + "]";
    }
}
