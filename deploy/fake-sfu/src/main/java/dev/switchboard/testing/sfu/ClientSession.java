package dev.switchboard.testing.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCDataChannel;
import dev.onvoid.webrtc.RTCDataChannelBuffer;
import dev.onvoid.webrtc.RTCDataChannelInit;
import dev.onvoid.webrtc.RTCDataChannelObserver;
import dev.onvoid.webrtc.RTCDataChannelState;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import livekit.LivekitModels;
import livekit.LivekitRtc;

/**
 * One client connected to the room, as LiveKit's SFU sees it in dual peer connection mode
 * ({@code /rtc}, {@code subscriber_primary = true}):
 * <ul>
 * <li>the <b>subscriber</b> connection carries media and data from the SFU to the client: the SFU offers
 * (with its {@code _reliable} and {@code _lossy} data channels, and one audio sender per remote track),
 * the client answers;</li>
 * <li>the <b>publisher</b> connection carries the client's tracks and data channels to the SFU: the client
 * offers (when it first publishes or sends data), the SFU answers;</li>
 * <li>ICE candidates trickle both ways over the signalling WebSocket, tagged with the client's target.</li>
 * </ul>
 * Every method except {@link #readLoop} runs on the SFU's single room thread.
 */
final class ClientSession {

    private static final System.Logger LOG = System.getLogger(ClientSession.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PING_INTERVAL_S = 5;
    private static final int PING_TIMEOUT_S = 15;

    /** A remote participant's track sent to this client on the subscriber connection. */
    final class Subscription {
        final FakeParticipant participant;
        final CustomAudioSource source;
        final AudioTrack track;
        final RTCRtpSender sender;
        volatile AudioFeed feed;
        volatile boolean running;
        Thread pacer;
        volatile long framesPushed;
        volatile long lateResyncs;
        volatile double startedAtMs = -1;

        Subscription(FakeParticipant participant, CustomAudioSource source, AudioTrack track, RTCRtpSender sender, AudioFeed feed) {
            this.participant = participant;
            this.source = source;
            this.track = track;
            this.sender = sender;
            this.feed = feed;
        }

        /** Pushes 10 ms frames in real time (absolute deadlines; resyncs if more than 200 ms late). */
        void startPacer() {
            if (pacer != null) {
                return;
            }
            running = true;
            pacer = Thread.ofPlatform().daemon().name("sfu-audio-" + participant.identity).start(() -> {
                startedAtMs = sfu.nowMs();
                long period = TimeUnit.MILLISECONDS.toNanos(10);
                long next = System.nanoTime();
                while (running) {
                    AudioFeed f = feed; // may be swapped by a "play" request
                    byte[] frame = f.next();
                    source.pushAudio(frame, 16, f.sampleRate, f.channels, f.samplesPer10ms());
                    framesPushed++;
                    next += period;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else if (wait < -TimeUnit.MILLISECONDS.toNanos(200)) {
                        next = System.nanoTime();
                        lateResyncs++;
                    }
                }
            });
        }

        void stopPacer() {
            running = false;
            if (pacer != null) {
                try {
                    pacer.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    final FakeSfu sfu;
    final WebSocket ws;
    final AccessTokens.Claims claims;
    final Map<String, String> connectParams;
    final String sid;
    final long joinedAtEpochMs = System.currentTimeMillis();
    final double connectedAtMs;
    private final boolean autoSubscribe;
    private int version = 1;
    private String metadata;
    private final Map<String, String> attributes = new LinkedHashMap<>();

    private RTCPeerConnection pubPc;
    private RTCPeerConnection subPc;
    private RTCDataChannel subReliable;
    private RTCDataChannel subLossy;
    private final List<RTCDataChannel> clientChannels = new ArrayList<>();
    private final List<String> clientChannelLabels = new ArrayList<>();

    private boolean pubRemoteSet, subRemoteSet, pubLocalSent, subLocalSent;
    private final List<JsonNode> pendingRemotePub = new ArrayList<>();
    private final List<JsonNode> pendingRemoteSub = new ArrayList<>();
    private final List<RTCIceCandidate> pendingLocalPub = new ArrayList<>();
    private final List<RTCIceCandidate> pendingLocalSub = new ArrayList<>();
    private boolean subOfferOutstanding, subRenegotiate;
    private int subOfferId;
    int subscriberOffers, publisherOffers, candidatesSent, candidatesReceived;

    final Map<String, LivekitModels.TrackInfo> publishedByCid = new LinkedHashMap<>();
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final List<Subscription> retired = new ArrayList<>();

    volatile String pubState = "NEW", subState = "NEW";
    double subConnectedAtMs = -1, pubConnectedAtMs = -1;
    int pings;
    boolean leaveReceived;
    String leaveReason;
    String leaveAction;
    String endedBy;
    double leftAtMs = -1;
    volatile boolean closed;

    ClientSession(FakeSfu sfu, WebSocket ws, AccessTokens.Claims claims, Map<String, String> connectParams) {
        this.sfu = sfu;
        this.ws = ws;
        this.claims = claims;
        this.connectParams = connectParams;
        this.sid = FakeSfu.newSid("PA_");
        this.connectedAtMs = sfu.nowMs();
        this.autoSubscribe = !"0".equals(connectParams.getOrDefault("auto_subscribe", "1"));
        this.metadata = claims.metadata();
        this.attributes.putAll(claims.attributes());
    }

    String identity() {
        return claims.identity();
    }

    // ------------------------------------------------------------------------------------------------
    // Join
    // ------------------------------------------------------------------------------------------------

    /** Sends the JoinResponse, sets up both peer connections and offers the subscriber connection. */
    void start(List<FakeParticipant> others) {
        RTCConfiguration config = new RTCConfiguration();
        subPc = sfu.sendFactory.createPeerConnection(config, observer(LivekitRtc.SignalTarget.SUBSCRIBER));
        pubPc = sfu.recvFactory.createPeerConnection(config, observer(LivekitRtc.SignalTarget.PUBLISHER));
        RTCDataChannelInit reliable = new RTCDataChannelInit();
        reliable.ordered = true;
        subReliable = subPc.createDataChannel("_reliable", reliable);
        RTCDataChannelInit lossy = new RTCDataChannelInit();
        lossy.ordered = false;
        lossy.maxRetransmits = 0;
        subLossy = subPc.createDataChannel("_lossy", lossy);

        LivekitRtc.JoinResponse.Builder join = LivekitRtc.JoinResponse.newBuilder()
                .setRoom(sfu.roomInfo(others.size() + 1, others.size()))
                .setParticipant(localInfo(LivekitModels.ParticipantInfo.State.JOINED))
                .setServerVersion(FakeSfu.SERVER_VERSION)
                .setServerRegion("local")
                .setSubscriberPrimary(true)
                .setFastPublish(false)
                .setPingInterval(PING_INTERVAL_S)
                .setPingTimeout(PING_TIMEOUT_S)
                .setServerInfo(LivekitModels.ServerInfo.newBuilder()
                        .setEdition(LivekitModels.ServerInfo.Edition.Standard)
                        .setVersion(FakeSfu.SERVER_VERSION)
                        .setProtocol(16)
                        .setRegion("local")
                        .setNodeId("fake-sfu"));
        for (FakeParticipant p : others) {
            join.addOtherParticipants(p.info());
        }
        send(LivekitRtc.SignalResponse.newBuilder().setJoin(join).build());
        for (FakeParticipant p : others) {
            subscribe(p);
        }
        negotiateSubscriber();
    }

    LivekitModels.ParticipantInfo localInfo(LivekitModels.ParticipantInfo.State state) {
        LivekitModels.ParticipantInfo.Builder b = LivekitModels.ParticipantInfo.newBuilder()
                .setSid(sid)
                .setIdentity(claims.identity())
                .setName(claims.name())
                .setState(state)
                .setKind(kindOf(claims.kind()))
                .setMetadata(metadata)
                .putAllAttributes(attributes)
                .setJoinedAt(joinedAtEpochMs / 1000)
                .setJoinedAtMs(joinedAtEpochMs)
                .setVersion(version)
                .setRegion("local")
                .setIsPublisher(!publishedByCid.isEmpty())
                .setPermission(LivekitModels.ParticipantPermission.newBuilder()
                        .setCanSubscribe(claims.canSubscribe())
                        .setCanPublish(claims.canPublish())
                        .setCanPublishData(claims.canPublishData())
                        .setCanUpdateMetadata(true)
                        .setAgent(claims.agent()));
        publishedByCid.values().forEach(b::addTracks);
        return b.build();
    }

    static LivekitModels.ParticipantInfo.Kind kindOf(String kind) {
        return switch (kind == null ? "" : kind.toLowerCase(java.util.Locale.ROOT)) {
            case "agent" -> LivekitModels.ParticipantInfo.Kind.AGENT;
            case "sip" -> LivekitModels.ParticipantInfo.Kind.SIP;
            case "ingress" -> LivekitModels.ParticipantInfo.Kind.INGRESS;
            case "egress" -> LivekitModels.ParticipantInfo.Kind.EGRESS;
            default -> LivekitModels.ParticipantInfo.Kind.STANDARD;
        };
    }

    private PeerConnectionObserver observer(LivekitRtc.SignalTarget target) {
        return new PeerConnectionObserver() {
            @Override
            public void onIceCandidate(RTCIceCandidate candidate) {
                sfu.post(() -> onLocalCandidate(target, candidate));
            }

            @Override
            public void onConnectionChange(RTCPeerConnectionState state) {
                sfu.post(() -> onPcState(target, state));
            }

            @Override
            public void onTrack(RTCRtpTransceiver transceiver) {
                if (target != LivekitRtc.SignalTarget.PUBLISHER) {
                    return;
                }
                try { // on WebRTC's signalling thread: attach the recorder at once, register on the room thread
                    MediaStreamTrack t = transceiver.getReceiver().getTrack();
                    if (t instanceof AudioTrack audio) {
                        ReceivedAudio rec = new ReceivedAudio(audio.getId(), claims.identity(), sfu.originNanos);
                        audio.addSink(rec);
                        sfu.post(() -> onClientAudioTrack(rec, audio));
                    }
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "onTrack failed", e);
                }
            }

            @Override
            public void onDataChannel(RTCDataChannel channel) {
                if (target != LivekitRtc.SignalTarget.PUBLISHER) {
                    return;
                }
                try {
                    String label = channel.getLabel();
                    channel.registerObserver(new RTCDataChannelObserver() {
                        @Override
                        public void onBufferedAmountChange(long previousAmount) {
                        }

                        @Override
                        public void onStateChange() {
                        }

                        @Override
                        public void onMessage(RTCDataChannelBuffer buffer) {
                            try {
                                ByteBuffer data = buffer.data;
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                if (buffer.binary) {
                                    sfu.data.onMessage(label, identity(), bytes);
                                }
                            } catch (Throwable ignored) {
                                // never let anything escape into WebRTC's thread
                            }
                        }
                    });
                    sfu.post(() -> {
                        clientChannels.add(channel);
                        clientChannelLabels.add(label);
                    });
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "onDataChannel failed", e);
                }
            }
        };
    }

    // ------------------------------------------------------------------------------------------------
    // Signalling from the client
    // ------------------------------------------------------------------------------------------------

    /** Reads the client's SignalRequests until the socket closes (on the connection's own thread). */
    void readLoop() {
        try {
            WebSocket.Message m;
            while ((m = ws.read()) != null) {
                if (!m.binary()) {
                    sfu.event("in", identity(), "text frame ignored");
                    continue;
                }
                LivekitRtc.SignalRequest req;
                try {
                    req = LivekitRtc.SignalRequest.parseFrom(m.data());
                } catch (InvalidProtocolBufferException e) {
                    sfu.event("in", identity(), "undecodable SignalRequest");
                    continue;
                }
                sfu.post(() -> handle(req));
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "signal connection of " + identity() + " broke", e);
        } finally {
            sfu.post(this::onSignalClosed);
        }
    }

    private void handle(LivekitRtc.SignalRequest req) {
        if (closed) {
            return;
        }
        LivekitRtc.SignalRequest.MessageCase type = req.getMessageCase();
        if (type != LivekitRtc.SignalRequest.MessageCase.PING && type != LivekitRtc.SignalRequest.MessageCase.PING_REQ
                && type != LivekitRtc.SignalRequest.MessageCase.TRICKLE) {
            sfu.event("in", identity(), type.name());
        }
        try {
            switch (type) {
                case OFFER -> onPublisherOffer(req.getOffer());
                case ANSWER -> onSubscriberAnswer(req.getAnswer());
                case TRICKLE -> onRemoteCandidate(req.getTrickle());
                case ADD_TRACK -> onAddTrack(req.getAddTrack());
                case MUTE -> onMute(req.getMute());
                case LEAVE -> onLeave(req.getLeave());
                case PING -> {
                    pings++;
                    send(LivekitRtc.SignalResponse.newBuilder().setPong(System.currentTimeMillis()).build());
                }
                case PING_REQ -> {
                    pings++;
                    send(LivekitRtc.SignalResponse.newBuilder().setPongResp(LivekitRtc.Pong.newBuilder()
                            .setLastPingTimestamp(req.getPingReq().getTimestamp())
                            .setTimestamp(System.currentTimeMillis())).build());
                }
                case UPDATE_METADATA -> onUpdateMetadata(req.getUpdateMetadata());
                default -> { } // subscription, track settings, sync state...: nothing to do for audio-only tests
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "handling " + type + " from " + identity() + " failed", e);
            sfu.event("error", identity(), type + ": " + e.getMessage());
        }
    }

    private void onPublisherOffer(LivekitRtc.SessionDescription offer) {
        publisherOffers++;
        Rtc.setRemote(pubPc, new RTCSessionDescription(RTCSdpType.OFFER, offer.getSdp()));
        pubRemoteSet = true;
        pendingRemotePub.forEach(c -> addRemoteCandidate(pubPc, c));
        pendingRemotePub.clear();
        RTCSessionDescription answer = Rtc.createAnswer(pubPc);
        Rtc.setLocal(pubPc, answer);
        send(LivekitRtc.SignalResponse.newBuilder().setAnswer(LivekitRtc.SessionDescription.newBuilder()
                .setType("answer").setSdp(answer.sdp).setId(offer.getId())).build());
        pubLocalSent = true;
        pendingLocalPub.forEach(c -> sendCandidate(LivekitRtc.SignalTarget.PUBLISHER, c));
        pendingLocalPub.clear();
    }

    private void onSubscriberAnswer(LivekitRtc.SessionDescription answer) {
        Rtc.setRemote(subPc, new RTCSessionDescription(RTCSdpType.ANSWER, answer.getSdp()));
        subRemoteSet = true;
        pendingRemoteSub.forEach(c -> addRemoteCandidate(subPc, c));
        pendingRemoteSub.clear();
        subOfferOutstanding = false;
        for (Subscription s : subscriptions.values()) {
            s.startPacer(); // only now: the sender is attached and negotiated
        }
        if (subRenegotiate) {
            subRenegotiate = false;
            negotiateSubscriber();
        }
    }

    private void onRemoteCandidate(LivekitRtc.TrickleRequest trickle) {
        JsonNode c;
        try {
            c = JSON.readTree(trickle.getCandidateInit());
        } catch (IOException e) {
            sfu.event("error", identity(), "bad candidateInit " + trickle.getCandidateInit());
            return;
        }
        if (c.path("candidate").asText("").isEmpty()) {
            return; // end of candidates
        }
        candidatesReceived++;
        if (trickle.getTarget() == LivekitRtc.SignalTarget.PUBLISHER) {
            if (pubRemoteSet) {
                addRemoteCandidate(pubPc, c);
            } else {
                pendingRemotePub.add(c);
            }
        } else if (subRemoteSet) {
            addRemoteCandidate(subPc, c);
        } else {
            pendingRemoteSub.add(c);
        }
    }

    private void addRemoteCandidate(RTCPeerConnection pc, JsonNode c) {
        try {
            pc.addIceCandidate(new RTCIceCandidate(c.path("sdpMid").asText(""), c.path("sdpMLineIndex").asInt(0),
                    c.path("candidate").asText()));
        } catch (RuntimeException e) {
            sfu.event("error", identity(), "addIceCandidate failed: " + e.getMessage());
        }
    }

    private void onAddTrack(LivekitRtc.AddTrackRequest req) {
        LivekitModels.TrackInfo.Builder info = LivekitModels.TrackInfo.newBuilder()
                .setSid(FakeSfu.newSid("TR_"))
                .setType(req.getType())
                .setName(req.getName())
                .setMuted(req.getMuted())
                .setSource(req.getSource())
                .setDisableRed(req.getDisableRed())
                .setEncryption(req.getEncryption())
                .setStream(req.getStream())
                .addAllAudioFeatures(req.getAudioFeaturesList());
        if (req.getType() == LivekitModels.TrackType.AUDIO) {
            info.setMimeType(req.getDisableRed() ? "audio/opus" : "audio/red");
        }
        LivekitModels.TrackInfo track = info.build();
        publishedByCid.put(req.getCid(), track);
        send(LivekitRtc.SignalResponse.newBuilder().setTrackPublished(
                LivekitRtc.TrackPublishedResponse.newBuilder().setCid(req.getCid()).setTrack(track)).build());
        sfu.resolveClientTrack(req.getCid(), track.getSid());
    }

    private void onMute(LivekitRtc.MuteTrackRequest req) {
        publishedByCid.replaceAll((cid, t) -> t.getSid().equals(req.getSid()) ? t.toBuilder().setMuted(req.getMuted()).build() : t);
    }

    private void onUpdateMetadata(LivekitRtc.UpdateParticipantMetadata req) {
        if (!req.getMetadata().isEmpty()) {
            metadata = req.getMetadata();
        }
        req.getAttributesMap().forEach((k, v) -> {
            if (v.isEmpty()) {
                attributes.remove(k);
            } else {
                attributes.put(k, v);
            }
        });
        version++;
        send(LivekitRtc.SignalResponse.newBuilder().setRequestResponse(LivekitRtc.RequestResponse.newBuilder()
                .setRequestId(req.getRequestId()).setReason(LivekitRtc.RequestResponse.Reason.OK)).build());
        send(LivekitRtc.SignalResponse.newBuilder().setUpdate(LivekitRtc.ParticipantUpdate.newBuilder()
                .addParticipants(localInfo(LivekitModels.ParticipantInfo.State.ACTIVE))).build());
    }

    private void onLeave(LivekitRtc.LeaveRequest req) {
        leaveReceived = true;
        leaveReason = req.getReason().name();
        leaveAction = req.getAction().name();
        close("client");
    }

    private void onSignalClosed() {
        if (!closed) {
            close("signal closed without LeaveRequest");
        }
    }

    /** Called by the room thread when the client's track arrives on the publisher connection. */
    private void onClientAudioTrack(ReceivedAudio rec, AudioTrack track) {
        LivekitModels.TrackInfo t = publishedByCid.get(rec.cid);
        sfu.addClientAudio(rec, track);
        if (t != null) { // tell the publisher its track has a subscriber, as LiveKit does
            send(LivekitRtc.SignalResponse.newBuilder().setTrackSubscribed(
                    LivekitRtc.TrackSubscribed.newBuilder().setTrackSid(t.getSid())).build());
        }
    }

    // ------------------------------------------------------------------------------------------------
    // The subscriber connection (the SFU offers)
    // ------------------------------------------------------------------------------------------------

    void negotiateSubscriber() {
        if (closed) {
            return;
        }
        if (subOfferOutstanding) {
            subRenegotiate = true;
            return;
        }
        RTCSessionDescription offer = Rtc.createOffer(subPc);
        Rtc.setLocal(subPc, offer);
        subOfferOutstanding = true;
        subscriberOffers++;
        send(LivekitRtc.SignalResponse.newBuilder().setOffer(LivekitRtc.SessionDescription.newBuilder()
                .setType("offer").setSdp(offer.sdp).setId(++subOfferId)).build());
        if (!subLocalSent) {
            subLocalSent = true;
            pendingLocalSub.forEach(c -> sendCandidate(LivekitRtc.SignalTarget.SUBSCRIBER, c));
            pendingLocalSub.clear();
        }
    }

    /** Adds a remote participant's track to the subscriber connection (negotiate afterwards). */
    void subscribe(FakeParticipant p) {
        if (closed || !autoSubscribe || !claims.canSubscribe() || subscriptions.containsKey(p.identity)) {
            return;
        }
        AudioFeed feed;
        try {
            feed = p.audio.newFeed();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the audio of " + p.identity + ": " + e.getMessage(), e);
        }
        CustomAudioSource source = new CustomAudioSource();
        AudioTrack track = sfu.sendFactory.createAudioTrack(p.trackSid, source);
        // the client takes "participantSid|trackSid" from the stream id to bind the media to the publication
        RTCRtpSender sender = subPc.addTrack(track, List.of(p.sid + "|" + p.trackSid));
        subscriptions.put(p.identity, new Subscription(p, source, track, sender, feed));
    }

    /** Stops and removes a remote participant's track (negotiate afterwards). */
    void unsubscribe(String identity) {
        Subscription s = subscriptions.remove(identity);
        if (s == null) {
            return;
        }
        s.stopPacer();
        retired.add(s);
        if (!closed) {
            try {
                subPc.removeTrack(s.sender);
            } catch (RuntimeException e) {
                sfu.event("error", identity(), "removeTrack failed: " + e.getMessage());
            }
        }
    }

    /** Sends a data packet on the subscriber connection's reliable channel. */
    void sendData(LivekitModels.DataPacket packet) {
        if (subReliable == null || subReliable.getState() != RTCDataChannelState.OPEN) {
            throw new IllegalStateException("the subscriber data channel is not open");
        }
        try {
            subReliable.send(new RTCDataChannelBuffer(ByteBuffer.wrap(packet.toByteArray()), true));
        } catch (Exception e) {
            throw new IllegalStateException("data channel send failed: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // ICE and connection state
    // ------------------------------------------------------------------------------------------------

    private void onLocalCandidate(LivekitRtc.SignalTarget target, RTCIceCandidate c) {
        if (closed) {
            return;
        }
        boolean sent = target == LivekitRtc.SignalTarget.PUBLISHER ? pubLocalSent : subLocalSent;
        if (sent) {
            sendCandidate(target, c);
        } else if (target == LivekitRtc.SignalTarget.PUBLISHER) {
            pendingLocalPub.add(c);
        } else {
            pendingLocalSub.add(c);
        }
    }

    private void sendCandidate(LivekitRtc.SignalTarget target, RTCIceCandidate c) {
        ObjectNode init = JSON.createObjectNode();
        init.put("candidate", c.sdp);
        init.put("sdpMid", c.sdpMid);
        init.put("sdpMLineIndex", c.sdpMLineIndex);
        candidatesSent++;
        send(LivekitRtc.SignalResponse.newBuilder().setTrickle(LivekitRtc.TrickleRequest.newBuilder()
                .setCandidateInit(init.toString()).setTarget(target)).build());
    }

    private void onPcState(LivekitRtc.SignalTarget target, RTCPeerConnectionState state) {
        sfu.event("pc", identity(), target + " " + state);
        if (closed) {
            return; // close() already recorded both connections as closed
        }
        if (target == LivekitRtc.SignalTarget.PUBLISHER) {
            pubState = state.name();
            if (state == RTCPeerConnectionState.CONNECTED && pubConnectedAtMs < 0) {
                pubConnectedAtMs = sfu.nowMs();
            }
        } else {
            subState = state.name();
            if (state == RTCPeerConnectionState.CONNECTED && subConnectedAtMs < 0) {
                subConnectedAtMs = sfu.nowMs();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Output and ending
    // ------------------------------------------------------------------------------------------------

    void send(LivekitRtc.SignalResponse response) {
        if (closed) {
            return;
        }
        LivekitRtc.SignalResponse.MessageCase type = response.getMessageCase();
        if (type != LivekitRtc.SignalResponse.MessageCase.PONG && type != LivekitRtc.SignalResponse.MessageCase.PONG_RESP
                && type != LivekitRtc.SignalResponse.MessageCase.TRICKLE) {
            sfu.event("out", identity(), type.name());
        }
        try {
            ws.sendBinary(response.toByteArray());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "send to " + identity() + " failed", e);
        }
    }

    /** The server tells the client to leave (e.g. the room was deleted), then ends the session. */
    void serverLeave(LivekitModels.DisconnectReason reason) {
        send(LivekitRtc.SignalResponse.newBuilder().setLeave(LivekitRtc.LeaveRequest.newBuilder()
                .setCanReconnect(false).setReason(reason).setAction(LivekitRtc.LeaveRequest.Action.DISCONNECT)).build());
        close("server: " + reason.name());
    }

    /** Ends the session: stops the audio, closes both peer connections and the WebSocket. Idempotent. */
    void close(String by) {
        if (closed) {
            return;
        }
        closed = true;
        endedBy = by;
        leftAtMs = sfu.nowMs();
        sfu.event("session", identity(), "ended by " + by + (leaveReason == null ? "" : " (" + leaveReason + ")"));
        for (Subscription s : subscriptions.values()) {
            s.stopPacer();
        }
        for (Subscription s : retired) {
            s.stopPacer();
        }
        try {
            // The state callback for a close we asked for may arrive after this, or never (the native
            // side drops its observer), so the report records the closed state itself.
            if (subPc != null) {
                subPc.close();
                subState = RTCPeerConnectionState.CLOSED.name();
            }
            if (pubPc != null) {
                pubPc.close();
                pubState = RTCPeerConnectionState.CLOSED.name();
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "closing peer connections failed", e);
        }
        ws.close(1000, "");
        sfu.onSessionEnded(this);
    }

    ObjectNode describe() {
        ObjectNode n = JSON.createObjectNode();
        n.put("identity", identity());
        n.put("sid", sid);
        n.put("kind", kindOf(claims.kind()).name());
        n.put("room", claims.room());
        n.put("connected", !closed);
        n.put("connectedAtMs", connectedAtMs);
        n.put("subscriberConnectedAtMs", subConnectedAtMs);
        n.put("publisherConnectedAtMs", pubConnectedAtMs);
        n.put("subscriberState", subState);
        n.put("publisherState", pubState);
        n.put("subscriberOffers", subscriberOffers);
        n.put("publisherOffers", publisherOffers);
        n.put("candidatesSent", candidatesSent);
        n.put("candidatesReceived", candidatesReceived);
        n.put("pings", pings);
        n.put("leaveReceived", leaveReceived);
        n.put("leaveReason", leaveReason);
        n.put("leaveAction", leaveAction);
        n.put("endedBy", endedBy);
        n.put("leftAtMs", leftAtMs);
        ObjectNode params = n.putObject("connectParams");
        connectParams.forEach(params::put);
        n.putPOJO("clientDataChannels", List.copyOf(clientChannelLabels));
        var tracks = n.putArray("publishedTracks");
        publishedByCid.forEach((cid, t) -> tracks.addObject().put("cid", cid).put("sid", t.getSid()).put("name", t.getName())
                .put("source", t.getSource().name()).put("muted", t.getMuted()));
        var subs = n.putArray("subscriptions");
        subscriptions.values().forEach(s -> subs.addObject().put("participant", s.participant.identity)
                .put("trackSid", s.participant.trackSid).put("sending", s.running)
                .put("framesPushed", s.framesPushed).put("lateResyncs", s.lateResyncs).put("startedAtMs", s.startedAtMs)
                .put("sampleRate", s.feed.sampleRate));
        return n;
    }

    /** WebRTC statistics of both connections (RTP streams, the selected candidate pair, transports). Room thread. */
    ObjectNode rtcStats() {
        ObjectNode n = JSON.createObjectNode();
        n.set("subscriber", statsOf(subPc));
        n.set("publisher", statsOf(pubPc));
        return n;
    }

    private static JsonNode statsOf(RTCPeerConnection pc) {
        if (pc == null) {
            return null;
        }
        java.util.concurrent.CompletableFuture<dev.onvoid.webrtc.RTCStatsReport> f = new java.util.concurrent.CompletableFuture<>();
        pc.getStats(f::complete);
        ObjectNode out = JSON.createObjectNode();
        try {
            for (dev.onvoid.webrtc.RTCStats st : f.get(5, TimeUnit.SECONDS).getStats().values()) {
                String type = st.getType().name();
                if (type.contains("RTP") || type.equals("CANDIDATE_PAIR") || type.equals("TRANSPORT") || type.contains("SOURCE")) {
                    ObjectNode o = out.putObject(st.getId());
                    o.put("type", type);
                    st.getAttributes().forEach((k, v) -> o.put(k, String.valueOf(v)));
                }
            }
        } catch (Exception e) {
            out.put("error", String.valueOf(e));
        }
        return out;
    }

    static LivekitModels.DataPacket userPacket(FakeParticipant from, String topic, byte[] payload) {
        return LivekitModels.DataPacket.newBuilder()
                .setParticipantIdentity(from.identity)
                .setParticipantSid(from.sid)
                .setUser(LivekitModels.UserPacket.newBuilder()
                        .setParticipantIdentity(from.identity)
                        .setParticipantSid(from.sid)
                        .setTopic(topic)
                        .setPayload(ByteString.copyFrom(payload)))
                .build();
    }

    /** A SIP DTMF packet with the RFC 4733 event code of {@code digit} (0-9, * 10, # 11, A-D 12-15). */
    static LivekitModels.DataPacket dtmfPacket(FakeParticipant from, String digit) {
        int code = switch (digit) {
            case "*" -> 10;
            case "#" -> 11;
            case "A", "a" -> 12;
            case "B", "b" -> 13;
            case "C", "c" -> 14;
            case "D", "d" -> 15;
            default -> Integer.parseInt(digit);
        };
        return dtmfPacket(from, code, digit);
    }

    /** A SIP DTMF packet as LiveKit's SIP bridge sends it for a key press: reliable, from the caller. */
    static LivekitModels.DataPacket dtmfPacket(FakeParticipant from, int code, String digit) {
        return LivekitModels.DataPacket.newBuilder()
                .setKind(LivekitModels.DataPacket.Kind.RELIABLE)
                .setParticipantIdentity(from.identity)
                .setParticipantSid(from.sid)
                .setSipDtmf(LivekitModels.SipDTMF.newBuilder().setCode(code).setDigit(digit))
                .build();
    }
}
