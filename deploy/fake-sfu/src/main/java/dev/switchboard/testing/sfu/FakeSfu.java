package dev.switchboard.testing.sfu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;
import dev.onvoid.webrtc.media.audio.AudioLayer;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import livekit.LivekitModels;
import livekit.LivekitRtc;

/**
 * A fake LiveKit SFU for tests, meant to run in its own JVM (a libwebrtc crash must not take the test down;
 * see {@link FakeSfuProcess}). It hosts one room with at most one real client at a time, speaks LiveKit's
 * signalling at {@code /rtc} (protobuf over WebSocket, dual peer connections), makes up remote participants
 * that publish audio (a tone or a PCM file, paced in real time), records the audio and data the client
 * publishes, and is driven by a JSON control API under {@code /control/} on the same port.
 *
 * <p>{@code java ... dev.switchboard.testing.sfu.FakeSfu --port=0 --api-key=K --api-secret=S} prints
 * {@code FAKE_SFU_READY port=N} on stdout once it listens.
 */
public final class FakeSfu implements AutoCloseable {

    static final String SERVER_VERSION = "1.9.0-fake";
    static final String READY_LINE = "FAKE_SFU_READY port=";
    private static final System.Logger LOG = System.getLogger(FakeSfu.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final int MAX_EVENTS = 2000;

    final String apiKey;
    final String apiSecret;
    final long originNanos = System.nanoTime();
    /** Wall-clock time of originNanos: every "...Ms" time the control API reports counts from here. */
    final long originEpochMs = System.currentTimeMillis();
    private final ExecutorService roomThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sfu-room");
        t.setDaemon(true);
        return t;
    });
    private final HeadlessAudioDeviceModule recvAdm;
    private final AudioDeviceModule sendAdm;
    /** Receives the client's media (playout runs, so decoded audio reaches the recorders). */
    final PeerConnectionFactory recvFactory;
    /** Sends the fake participants' media from custom sources (its device module never records). */
    final PeerConnectionFactory sendFactory;
    private final MiniHttpServer http;
    /** LiveKit's agent endpoint: workers register at /agent and are dispatched jobs for this room. */
    final AgentDispatch agents = new AgentDispatch(this);
    private final CountDownLatch stopped = new CountDownLatch(1);

    // ---- room state (room thread only, except where noted) ----
    private String roomName;
    private String roomSid;
    private long roomCreatedAtMs;
    private final Map<String, FakeParticipant> remotes = new LinkedHashMap<>();
    private ClientSession client;
    private final List<ClientSession> pastSessions = new ArrayList<>();
    private final Map<String, ReceivedAudio> clientAudio = new LinkedHashMap<>(); // by cid
    private final Map<String, AudioTrack> clientAudioTracks = new LinkedHashMap<>();
    volatile DataRecorder data = new DataRecorder(originNanos);
    private final List<ObjectNode> refusals = new ArrayList<>();
    private int singlePcAttempts;
    private final ArrayDeque<ObjectNode> events = new ArrayDeque<>(); // guarded by itself

    public FakeSfu(InetAddress bind, int port, String apiKey, String apiSecret) throws IOException {
        this.apiKey = apiKey;
        this.apiSecret = apiSecret;
        long t0 = System.nanoTime();
        this.recvAdm = new HeadlessAudioDeviceModule();
        this.recvFactory = new PeerConnectionFactory(recvAdm);
        // Only after the factory registered its audio callback (AudioDeviceBuffer refuses one while playing):
        // the module's 10 ms playout thread pulls the mixer, which is what feeds the recorders' sinks.
        this.recvAdm.initPlayout();
        this.recvAdm.startPlayout();
        this.sendAdm = new AudioDeviceModule(AudioLayer.kDummyAudio);
        this.sendFactory = new PeerConnectionFactory(sendAdm);
        LOG.log(Level.INFO, "WebRTC factories ready in {0} ms", (System.nanoTime() - t0) / 1_000_000);
        this.http = new MiniHttpServer(bind, port, this::route);
    }

    public int port() {
        return http.port();
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        FakeSfu sfu = new FakeSfu(InetAddress.getByName(opts.getOrDefault("bind", "127.0.0.1")),
                Integer.parseInt(opts.getOrDefault("port", "0")),
                opts.getOrDefault("api-key", "devkey"), opts.getOrDefault("api-secret", "secret"));
        System.out.println(READY_LINE + sfu.port());
        System.out.flush();
        sfu.stopped.await();
        sfu.close();
        System.exit(0);
    }

    // ------------------------------------------------------------------------------------------------
    // Threads and clock
    // ------------------------------------------------------------------------------------------------

    double nowMs() {
        return (System.nanoTime() - originNanos) / 1e6;
    }

    void post(Runnable r) {
        roomThread.execute(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                LOG.log(Level.ERROR, "room task failed", t);
            }
        });
    }

    <T> T call(Callable<T> c) throws Exception {
        try {
            return roomThread.submit(c).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IllegalStateException("the room thread did not answer in 20 s");
        }
    }

    void event(String dir, String who, String what) {
        ObjectNode e = JSON.createObjectNode().put("atMs", Math.round(nowMs() * 10) / 10.0).put("dir", dir)
                .put("who", who).put("what", what);
        synchronized (events) {
            if (events.size() == MAX_EVENTS) {
                events.removeFirst();
            }
            events.addLast(e);
        }
        LOG.log(Level.INFO, "{0} {1} {2}", dir, who, what);
    }

    static String newSid(String prefix) {
        StringBuilder b = new StringBuilder(prefix);
        for (int i = 0; i < 12; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------
    // HTTP routing
    // ------------------------------------------------------------------------------------------------

    private void route(MiniHttpServer.Exchange ex) throws Exception {
        String path = ex.path;
        if (path.equals("/rtc/v1") || path.equals("/rtc/v1/")) {
            // Single peer connection mode is not implemented: LiveKit's clients fall back to /rtc on a 404.
            post(() -> singlePcAttempts++);
            event("http", "-", "GET /rtc/v1 -> 404 (single peer connection not implemented)");
            ex.respondText(404, "the fake SFU implements dual peer connection signalling (/rtc) only");
        } else if (path.equals("/rtc/validate") || path.equals("/rtc/v1/validate")) {
            validate(ex);
        } else if (path.equals("/rtc") || path.equals("/rtc/")) {
            signal(ex);
        } else if (path.equals("/agent") || path.equals("/agent/")) {
            agents.serve(ex, tokenOf(ex));
        } else if (path.startsWith("/control/")) {
            control(ex);
        } else {
            ex.respondText(404, "not found: " + path);
        }
    }

    private static String tokenOf(MiniHttpServer.Exchange ex) {
        String auth = ex.header("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        return ex.query().get("access_token");
    }

    private void validate(MiniHttpServer.Exchange ex) throws IOException {
        try {
            AccessTokens.verify(tokenOf(ex), apiKey, apiSecret);
            ex.respondText(200, "success");
        } catch (AccessTokens.InvalidTokenException e) {
            ex.respondText(401, e.getMessage());
        }
    }

    private void signal(MiniHttpServer.Exchange ex) throws Exception {
        if (!ex.isWebSocketUpgrade()) {
            ex.respondText(400, "expected a WebSocket upgrade");
            return;
        }
        Map<String, String> params = ex.query();
        params.remove("access_token");
        AccessTokens.Claims claims;
        try {
            claims = AccessTokens.verify(tokenOf(ex), apiKey, apiSecret);
        } catch (AccessTokens.InvalidTokenException e) {
            refuse(ex, 401, e.getMessage(), params);
            return;
        }
        if ("1".equals(params.get("reconnect"))) {
            refuse(ex, 404, "resuming a session is not implemented by the fake SFU", params);
            return;
        }
        String conflict = call(() -> {
            if (client != null) {
                return "the fake SFU hosts one client at a time (" + client.identity() + " is connected)";
            }
            return null;
        });
        if (conflict != null) {
            refuse(ex, 409, conflict, params);
            return;
        }
        WebSocket ws = ex.upgradeToWebSocket();
        ClientSession session = new ClientSession(this, ws, claims, params);
        event("in", claims.identity(), "connect /rtc " + params);
        try {
            call(() -> {
                openRoom(claims.room());
                client = session;
                session.start(List.copyOf(remotes.values()));
                return null;
            });
        } catch (Exception e) {
            LOG.log(Level.ERROR, "join of " + claims.identity() + " failed", e);
            post(() -> session.close("join failed: " + e.getMessage()));
            return;
        }
        session.readLoop();
    }

    private void refuse(MiniHttpServer.Exchange ex, int status, String reason, Map<String, String> params) throws IOException {
        ObjectNode r = JSON.createObjectNode().put("atMs", nowMs()).put("status", status).put("reason", reason);
        ObjectNode p = r.putObject("params");
        params.forEach(p::put);
        post(() -> refusals.add(r));
        event("http", "-", "refused /rtc: " + status + " " + reason);
        ex.respondText(status, reason);
    }

    // ------------------------------------------------------------------------------------------------
    // Room (room thread)
    // ------------------------------------------------------------------------------------------------

    private void openRoom(String name) {
        if (name.equals(roomName)) {
            return;
        }
        if (roomName != null) {
            resetRoom();
        }
        roomName = name;
        roomSid = newSid("RM_");
        roomCreatedAtMs = System.currentTimeMillis();
        event("room", name, "created " + roomSid);
        agents.roomCreated(roomInfo(0, 0));
    }

    LivekitModels.Room roomInfo(int participants, int publishers) {
        return LivekitModels.Room.newBuilder()
                .setSid(roomSid)
                .setName(roomName)
                .setEmptyTimeout(300)
                .setDepartureTimeout(20)
                .setCreationTime(roomCreatedAtMs / 1000)
                .setCreationTimeMs(roomCreatedAtMs)
                .setNumParticipants(participants)
                .setNumPublishers(publishers)
                .addEnabledCodecs(LivekitModels.Codec.newBuilder().setMime("audio/opus"))
                .addEnabledCodecs(LivekitModels.Codec.newBuilder().setMime("audio/red"))
                .build();
    }

    void onSessionEnded(ClientSession s) {
        if (client == s) {
            client = null;
        }
        pastSessions.add(s);
        clientAudio.values().forEach(ReceivedAudio::stop);
    }

    /** The client announced a track (AddTrackRequest): remember its sid for the audio report. */
    void resolveClientTrack(String cid, String trackSid) {
        trackSids.put(cid, trackSid);
    }

    /** The client's track arrived on the publisher connection, with its recorder attached. */
    void addClientAudio(ReceivedAudio rec, AudioTrack track) {
        clientAudio.put(rec.cid, rec);
        clientAudioTracks.put(rec.cid, track); // keeps the track (and its sink) referenced
        event("media", rec.participantIdentity, "receiving audio track " + rec.cid + " (" + trackSids.get(rec.cid) + ")");
    }

    private final Map<String, String> trackSids = new LinkedHashMap<>(); // client track cid -> sid

    private void resetRoom() {
        if (client != null) {
            client.serverLeave(LivekitModels.DisconnectReason.ROOM_DELETED);
        }
        remotes.clear();
        clientAudio.values().forEach(ReceivedAudio::stop);
        clientAudio.clear();
        clientAudioTracks.clear();
        trackSids.clear();
        data = new DataRecorder(originNanos);
        pastSessions.clear();
        refusals.clear();
        singlePcAttempts = 0;
        synchronized (events) {
            events.clear();
        }
        roomName = null;
        roomSid = null;
    }

    private FakeParticipant joinParticipant(JsonNode spec, String room) {
        if (roomName == null) {
            openRoom(room == null || room.isBlank() ? "test-room" : room);
        }
        String kindName = spec.path("kind").asText("SIP").toUpperCase(Locale.ROOT);
        LivekitModels.ParticipantInfo.Kind kind = LivekitModels.ParticipantInfo.Kind.valueOf(kindName);
        String phone = spec.path("phoneNumber").asText("+15550100");
        String identity = spec.path("identity").asText(kind == LivekitModels.ParticipantInfo.Kind.SIP ? "sip_" + phone : "participant");
        if (remotes.containsKey(identity)) {
            throw new IllegalStateException("participant " + identity + " is already in the room");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        if (spec.has("attributes")) {
            spec.get("attributes").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        } else if (kind == LivekitModels.ParticipantInfo.Kind.SIP) {
            attributes.put("sip.callID", newSid("SCL_"));
            attributes.put("sip.trunkID", "ST_fake");
            attributes.put("sip.phoneNumber", phone);
            attributes.put("sip.trunkPhoneNumber", "+15550199");
            attributes.put("sip.callStatus", "active");
        }
        FakeParticipant.AudioSpec audio = audioSpec(spec.path("audio"));
        FakeParticipant p = new FakeParticipant(newSid("PA_"), identity, spec.path("name").asText("Phone " + phone), kind,
                attributes, spec.path("metadata").asText(""), newSid("TR_"), spec.path("trackName").asText("phone"), audio);
        remotes.put(identity, p);
        event("room", identity, "joined (" + kind + ")");
        if (client != null) {
            client.send(LivekitRtc.SignalResponse.newBuilder()
                    .setUpdate(LivekitRtc.ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
            client.subscribe(p);
            client.negotiateSubscriber();
        }
        return p;
    }

    private static FakeParticipant.AudioSpec audioSpec(JsonNode a) {
        FakeParticipant.AudioSpec d = FakeParticipant.AudioSpec.defaults();
        return new FakeParticipant.AudioSpec(
                a.path("toneHz").asDouble(d.toneHz()), a.path("amplitude").asDouble(d.amplitude()),
                a.path("sampleRate").asInt(d.sampleRate()), a.path("pcmFile").asText(null),
                a.path("pcmSampleRate").asInt(d.pcmSampleRate()), a.path("loop").asBoolean(d.loop()));
    }

    private FakeParticipant remote(String identity) {
        if (identity == null || identity.isBlank()) {
            if (remotes.isEmpty()) {
                throw new IllegalStateException("no remote participant in the room");
            }
            return remotes.values().iterator().next();
        }
        FakeParticipant p = remotes.get(identity);
        if (p == null) {
            throw new IllegalStateException("no remote participant " + identity);
        }
        return p;
    }

    private FakeParticipant leaveParticipant(String identity, LivekitModels.DisconnectReason reason) {
        FakeParticipant p = remote(identity);
        remotes.remove(p.identity);
        p.disconnected = true;
        p.disconnectReason = reason;
        p.version++;
        event("room", p.identity, "left (" + reason + ")");
        if (client != null) {
            ClientSession.Subscription s = client.subscriptions.get(p.identity);
            if (s != null) {
                s.stopPacer();
            }
            client.send(LivekitRtc.SignalResponse.newBuilder()
                    .setUpdate(LivekitRtc.ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
            client.unsubscribe(p.identity);
            client.negotiateSubscriber();
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------------
    // Control API
    // ------------------------------------------------------------------------------------------------

    private void control(MiniHttpServer.Exchange ex) throws Exception {
        String op = ex.method + " " + ex.path.substring("/control".length());
        Map<String, String> q = ex.query();
        try {
            JsonNode result = switch (op) {
                case "GET /state" -> call(this::state);
                case "GET /events" -> {
                    synchronized (events) {
                        yield JSON.createArrayNode().addAll(new ArrayList<>(events));
                    }
                }
                case "POST /participant/join" -> {
                    JsonNode spec = ex.body.length == 0 ? JSON.createObjectNode() : JSON.readTree(ex.body);
                    FakeParticipant p = call(() -> joinParticipant(spec, q.get("room")));
                    yield JSON.createObjectNode().put("identity", p.identity).put("sid", p.sid).put("trackSid", p.trackSid)
                            .put("room", roomNameForReply());
                }
                case "POST /participant/leave" -> {
                    LivekitModels.DisconnectReason reason = LivekitModels.DisconnectReason.valueOf(
                            q.getOrDefault("reason", "CLIENT_INITIATED").toUpperCase(Locale.ROOT));
                    FakeParticipant p = call(() -> leaveParticipant(q.get("identity"), reason));
                    yield JSON.createObjectNode().put("identity", p.identity).put("reason", reason.name());
                }
                case "POST /participant/play" -> {
                    FakeParticipant.AudioSpec audio = audioSpec(ex.body.length == 0 ? JSON.createObjectNode() : JSON.readTree(ex.body));
                    AudioFeed feed = audio.newFeed(); // fails here (409) if the file is unreadable
                    yield call(() -> {
                        FakeParticipant p = remote(q.get("identity"));
                        p.audio = audio;
                        boolean live = false;
                        if (client != null && client.subscriptions.get(p.identity) != null) {
                            client.subscriptions.get(p.identity).feed = feed;
                            live = true;
                        }
                        event("media", p.identity, "plays " + (audio.pcmFile() != null ? audio.pcmFile() : audio.toneHz() + " Hz"));
                        return JSON.createObjectNode().put("identity", p.identity).put("live", live).put("atMs", nowMs());
                    });
                }
                case "POST /participant/attributes" -> {
                    JsonNode attrs = JSON.readTree(ex.body);
                    yield call(() -> {
                        FakeParticipant p = remote(q.get("identity"));
                        attrs.properties().forEach(e -> {
                            if (e.getValue().asText().isEmpty()) {
                                p.attributes.remove(e.getKey());
                            } else {
                                p.attributes.put(e.getKey(), e.getValue().asText());
                            }
                        });
                        p.version++;
                        if (client != null) {
                            client.send(LivekitRtc.SignalResponse.newBuilder()
                                    .setUpdate(LivekitRtc.ParticipantUpdate.newBuilder().addParticipants(p.info())).build());
                        }
                        return JSON.valueToTree(p.attributes);
                    });
                }
                case "POST /participant/data" -> call(() -> {
                    FakeParticipant p = remote(q.get("identity"));
                    requireClient().sendData(ClientSession.userPacket(p, q.getOrDefault("topic", ""), ex.body));
                    return JSON.createObjectNode().put("sent", ex.body.length);
                });
                case "POST /participant/dtmf" -> call(() -> {
                    FakeParticipant p = remote(q.get("identity"));
                    String digit = q.getOrDefault("digit", "1");
                    LivekitModels.DataPacket packet = q.containsKey("code")
                            ? ClientSession.dtmfPacket(p, Integer.parseInt(q.get("code")), digit)
                            : ClientSession.dtmfPacket(p, digit);
                    requireClient().sendData(packet);
                    return JSON.createObjectNode().put("identity", p.identity).put("code", packet.getSipDtmf().getCode())
                            .put("digit", digit).put("atMs", nowMs());
                });
                case "POST /agent/dispatch" -> {
                    String metadata = new String(ex.body, StandardCharsets.UTF_8);
                    LivekitModels.Room room = call(() -> {
                        openRoom(q.getOrDefault("room", roomName == null ? "test-room" : roomName));
                        return roomInfo(remotes.size(), remotes.size());
                    });
                    String agentName = q.getOrDefault("agentName", "");
                    String jobId = agents.dispatch(room, agentName, metadata)
                            .orElseThrow(() -> new IllegalStateException("no worker is registered as agent '" + agentName + "'"));
                    yield JSON.createObjectNode().put("jobId", jobId).put("room", room.getName());
                }
                case "POST /agent/terminate" -> JSON.createObjectNode().put("terminated", agents.terminate(q.get("job")));
                case "GET /received-audio" -> call(() -> receivedAudio(Integer.parseInt(q.getOrDefault("windowMs", "100")),
                        "1".equals(q.get("frames"))));
                case "GET /data" -> dataReport();
                case "GET /rtc-stats" -> call(() -> requireClient().rtcStats());
                case "POST /close-room" -> call(() -> {
                    LivekitModels.DisconnectReason reason = LivekitModels.DisconnectReason.valueOf(
                            q.getOrDefault("reason", "ROOM_DELETED").toUpperCase(Locale.ROOT));
                    boolean had = client != null;
                    if (had) {
                        client.serverLeave(reason);
                    }
                    return JSON.createObjectNode().put("clientDisconnected", had).put("reason", reason.name());
                });
                case "POST /reset" -> call(() -> {
                    resetRoom();
                    return JSON.createObjectNode().put("reset", true);
                });
                case "POST /shutdown" -> {
                    ex.respond(200, "application/json", "{\"stopping\":true}".getBytes(StandardCharsets.UTF_8));
                    stopped.countDown();
                    yield null;
                }
                case "POST /crash" -> {
                    ex.respond(200, "application/json", "{\"crashing\":true}".getBytes(StandardCharsets.UTF_8));
                    Runtime.getRuntime().halt(134); // as abrupt as a libwebrtc abort
                    yield null;
                }
                default -> throw new NoSuchMethodException(op);
            };
            if (result != null) {
                ex.respond(200, "application/json", JSON.writeValueAsBytes(result));
            }
        } catch (NoSuchMethodException e) {
            ex.respondText(404, "unknown control operation: " + op);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            ex.respondText(409, String.valueOf(e.getMessage()));
        }
    }

    private String roomNameForReply() throws Exception {
        return call(() -> roomName);
    }

    private ClientSession requireClient() {
        if (client == null) {
            throw new IllegalStateException("no client connected");
        }
        return client;
    }

    private ObjectNode state() {
        ObjectNode n = JSON.createObjectNode();
        n.put("room", roomName);
        n.put("roomSid", roomSid);
        n.put("originEpochMs", originEpochMs);
        n.put("serverVersion", SERVER_VERSION);
        n.put("singlePcAttempts", singlePcAttempts);
        n.set("client", client == null ? null : client.describe());
        ArrayNode past = n.putArray("pastClients");
        pastSessions.forEach(s -> past.add(s.describe()));
        ArrayNode rs = n.putArray("remoteParticipants");
        for (FakeParticipant p : remotes.values()) {
            rs.addObject().put("identity", p.identity).put("sid", p.sid).put("kind", p.kind.name())
                    .put("trackSid", p.trackSid).set("attributes", JSON.valueToTree(p.attributes));
        }
        ArrayNode refused = n.putArray("refusedConnections");
        refusals.forEach(refused::add);
        n.set("agents", agents.describe());
        n.set("process", processInfo());
        return n;
    }

    private ObjectNode processInfo() {
        ObjectNode n = JSON.createObjectNode();
        n.put("pid", ProcessHandle.current().pid());
        n.put("uptimeMs", nowMs());
        long cpuNanos = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        n.put("cpuMs", cpuNanos / 1e6);
        n.put("threads", Thread.activeCount());
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    n.put("rssKb", Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
                if (line.startsWith("Threads:")) {
                    n.put("osThreads", Integer.parseInt(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException ignored) {
        }
        return n;
    }

    private ObjectNode receivedAudio(int windowMs, boolean withFrames) {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode tracks = n.putArray("tracks");
        for (ReceivedAudio rec : clientAudio.values()) {
            List<ReceivedAudio.Frame> frames = rec.frames();
            ObjectNode t = tracks.addObject();
            t.put("cid", rec.cid);
            t.put("trackSid", trackSids.get(rec.cid));
            t.put("participant", rec.participantIdentity);
            t.put("totalFrames", rec.totalFrames());
            t.put("windowMs", windowMs);
            if (frames.isEmpty()) {
                continue;
            }
            ReceivedAudio.Frame first = frames.getFirst();
            t.put("sampleRate", first.sampleRate());
            t.put("channels", first.channels());
            t.put("samplesPerChannel", first.samplesPerChannel());
            t.put("firstAtMs", first.atMs());
            t.put("lastAtMs", frames.getLast().atMs());
            ArrayNode windows = t.putArray("windows");
            int current = -1;
            double sumSq = 0;
            int count = 0;
            for (ReceivedAudio.Frame f : frames) {
                int w = (int) ((f.atMs() - first.atMs()) / windowMs);
                if (w != current && count > 0) {
                    windows.addObject().put("startMs", first.atMs() + (double) current * windowMs).put("frames", count)
                            .put("rms", Math.sqrt(sumSq / count));
                    sumSq = 0;
                    count = 0;
                }
                current = w;
                sumSq += f.rms() * f.rms();
                count++;
            }
            if (count > 0) {
                windows.addObject().put("startMs", first.atMs() + (double) current * windowMs).put("frames", count)
                        .put("rms", Math.sqrt(sumSq / count));
            }
            if (withFrames) {
                ArrayNode fs = t.putArray("frames");
                frames.forEach(f -> fs.addArray().add(f.atMs()).add(f.rms()));
            }
        }
        return n;
    }

    private ObjectNode dataReport() {
        DataRecorder d = data;
        ObjectNode n = JSON.createObjectNode();
        ArrayNode streams = n.putArray("streams");
        for (DataRecorder.Stream s : d.streams()) {
            ObjectNode o = streams.addObject();
            o.put("streamId", s.streamId).put("topic", s.topic).put("senderIdentity", s.senderIdentity)
                    .put("mimeType", s.mimeType).put("text", s.text).put("chunks", s.chunks.size())
                    .put("content", s.text ? s.content() : null).put("openedAtMs", s.openedAtMs)
                    .put("closed", s.closedAtMs >= 0).put("closedAtMs", s.closedAtMs)
                    .put("trailerReason", s.trailerReason);
            o.set("attributes", JSON.valueToTree(s.attributes));
            o.set("trailerAttributes", s.trailerAttributes == null ? null : JSON.valueToTree(s.trailerAttributes));
        }
        ArrayNode users = n.putArray("userPackets");
        for (DataRecorder.UserPacket u : d.userPackets()) {
            users.addObject().put("atMs", u.atMs()).put("channel", u.channel()).put("senderIdentity", u.senderIdentity())
                    .put("topic", u.topic()).put("payload", new String(u.payload(), StandardCharsets.UTF_8))
                    .set("destinationIdentities", JSON.valueToTree(u.destinationIdentities()));
        }
        ArrayNode dtmf = n.putArray("dtmf");
        for (DataRecorder.Dtmf t : d.dtmf()) {
            dtmf.addObject().put("atMs", t.atMs()).put("channel", t.channel()).put("senderIdentity", t.senderIdentity())
                    .put("packetIdentity", t.packetIdentity()).put("code", t.code()).put("digit", t.digit())
                    .set("destinationIdentities", JSON.valueToTree(t.destinationIdentities()));
        }
        n.set("otherPackets", JSON.valueToTree(d.otherPackets()));
        return n;
    }

    @Override
    public void close() {
        try {
            call(() -> {
                if (client != null) {
                    client.serverLeave(LivekitModels.DisconnectReason.SERVER_SHUTDOWN);
                }
                return null;
            });
        } catch (Exception e) {
            LOG.log(Level.WARNING, "closing the session failed", e);
        }
        http.close();
        roomThread.shutdown();
        try {
            recvAdm.stopPlayout(); // its native thread must not outlive the JVM's shutdown
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "stopping playout failed", e);
        }
    }
}
