package dev.switchboard.testing.sfu;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The test side of the fake SFU's control API ({@code /control/...}, JSON over HTTP), usable from any JVM.
 * Every failure carries the SFU's diagnostics (its state and the end of its log).
 */
public final class FakeSfuControl {

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** How a fake participant's audio is made: a tone, or a WAV / raw 16-bit PCM file. */
    public record AudioSpec(double toneHz, double amplitude, int sampleRate, String pcmFile, int pcmSampleRate, boolean loop) {
        public static AudioSpec tone(double hz, double amplitude) {
            return new AudioSpec(hz, amplitude, 48_000, null, 16_000, true);
        }

        public static AudioSpec file(String path, int rawSampleRate, boolean loop) {
            return new AudioSpec(0, 0, 48_000, path, rawSampleRate, loop);
        }

        public static AudioSpec silence() {
            return new AudioSpec(440, 0, 48_000, null, 16_000, true);
        }
    }

    /** A participant to make up. Null fields take the SFU's defaults (a SIP caller with the usual attributes). */
    public record ParticipantSpec(String identity, String name, String kind, String phoneNumber,
            Map<String, String> attributes, String metadata, String trackName, AudioSpec audio) {

        /** A SIP caller {@code sip_<phone>} with {@code sip.phoneNumber}, {@code sip.callStatus=active}..., a 440 Hz tone. */
        public static ParticipantSpec sipCaller(String phoneNumber) {
            return new ParticipantSpec(null, null, "SIP", phoneNumber, null, null, null, AudioSpec.tone(440, 0.5));
        }

        public ParticipantSpec withAudio(AudioSpec a) {
            return new ParticipantSpec(identity, name, kind, phoneNumber, attributes, metadata, trackName, a);
        }

        public ParticipantSpec withAttributes(Map<String, String> attrs) {
            return new ParticipantSpec(identity, name, kind, phoneNumber, attrs, metadata, trackName, audio);
        }
    }

    public record JoinedParticipant(String identity, String sid, String trackSid, String room) {}

    public record Window(double startMs, int frames, double rms) {}

    /** What the SFU heard on one of the client's tracks, in windows of {@code windowMs}. */
    public record ReceivedTrack(String cid, String trackSid, String participant, long totalFrames, int windowMs,
            int sampleRate, int channels, int samplesPerChannel, double firstAtMs, double lastAtMs, List<Window> windows) {
        public List<Window> windows() {
            return windows == null ? List.of() : windows;
        }
    }

    public record ReceivedAudio(List<ReceivedTrack> tracks) {}

    /** A data stream the client sent (e.g. a caption segment on {@code lk.transcription}). */
    public record DataStream(String streamId, String topic, String senderIdentity, String mimeType, boolean text, int chunks,
            String content, Map<String, String> attributes, boolean closed, Map<String, String> trailerAttributes,
            String trailerReason, double openedAtMs, double closedAtMs) {}

    public record UserPacket(double atMs, String channel, String senderIdentity, String topic, String payload,
            List<String> destinationIdentities) {}

    /**
     * A SIP DTMF packet the client sent (publish_sip_dtmf). {@code senderIdentity}: the identity the client joined
     * with; {@code packetIdentity}: the one the packet carried (a client may leave it empty, the server fills it in).
     */
    public record Dtmf(double atMs, String channel, String senderIdentity, String packetIdentity, int code, String digit,
            List<String> destinationIdentities) {}

    public record DataReport(List<DataStream> streams, List<UserPacket> userPackets, List<Dtmf> dtmf,
            Map<String, Integer> otherPackets) {
        public List<DataStream> streams(String topic) {
            return streams.stream().filter(s -> topic.equals(s.topic())).toList();
        }

        /** The client's SIP DTMF packets, in the order they arrived (empty from an SFU that did not report them). */
        public List<Dtmf> dtmf() {
            return dtmf == null ? List.of() : dtmf;
        }
    }

    private final String base;
    private final Supplier<String> diagnostics;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public FakeSfuControl(String baseUrl, Supplier<String> diagnostics) {
        this.base = baseUrl;
        this.diagnostics = diagnostics == null ? () -> "" : diagnostics;
    }

    // ---- room ----

    /** Room, client (connection, peer connection states, published tracks, leave), remote participants, CPU. */
    public JsonNode state() {
        return get("/control/state");
    }

    /** The signalling log (messages in and out, peer connection states). */
    public JsonNode events() {
        return get("/control/events");
    }

    public JsonNode closeRoom(String reason) {
        return post("/control/close-room?reason=" + enc(reason), new byte[0]);
    }

    /** Ends the room: disconnects the client (ROOM_DELETED), forgets participants and recordings. */
    public void reset() {
        post("/control/reset", new byte[0]);
    }

    public void shutdown() {
        post("/control/shutdown", new byte[0]);
    }

    /** Makes the SFU process halt at once (exit code 134), as a native crash would. */
    public void crash() {
        try {
            post("/control/crash", new byte[0]);
        } catch (IllegalStateException ignored) {
            // the process may be gone before it answers
        }
    }

    // ---- remote participants ----

    public JoinedParticipant joinParticipant(ParticipantSpec spec) {
        return joinParticipant(spec, null);
    }

    /** Adds a participant (to {@code room}, created if there is none yet); a connected client sees it join. */
    public JoinedParticipant joinParticipant(ParticipantSpec spec, String room) {
        ObjectNode body = JSON.createObjectNode();
        if (spec.identity() != null) body.put("identity", spec.identity());
        if (spec.name() != null) body.put("name", spec.name());
        if (spec.kind() != null) body.put("kind", spec.kind());
        if (spec.phoneNumber() != null) body.put("phoneNumber", spec.phoneNumber());
        if (spec.attributes() != null) body.set("attributes", JSON.valueToTree(spec.attributes()));
        if (spec.metadata() != null) body.put("metadata", spec.metadata());
        if (spec.trackName() != null) body.put("trackName", spec.trackName());
        if (spec.audio() != null) body.set("audio", JSON.valueToTree(spec.audio()));
        String path = "/control/participant/join" + (room == null ? "" : "?room=" + enc(room));
        return convert(post(path, body.toString().getBytes(StandardCharsets.UTF_8)), JoinedParticipant.class);
    }

    /** The participant leaves with this reason (CLIENT_INITIATED: the caller hung up; USER_REJECTED: busy...). */
    public void leaveParticipant(String identity, String reason) {
        post("/control/participant/leave?identity=" + enc(identity) + "&reason=" + enc(reason), new byte[0]);
    }

    /**
     * Switches the participant's audio now (e.g. plays a WAV file once, then silence); returns the SFU's clock
     * ({@code atMs}) at the switch.
     */
    public JsonNode play(String identity, AudioSpec audio) {
        return post("/control/participant/play?identity=" + enc(identity),
                JSON.valueToTree(audio).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Changes attributes (an empty value removes one), e.g. {@code sip.callStatus}. */
    public void setAttributes(String identity, Map<String, String> attributes) {
        post("/control/participant/attributes?identity=" + enc(identity),
                JSON.valueToTree(new LinkedHashMap<>(attributes)).toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A user data packet from the participant to the client (reliable). */
    public void sendData(String identity, String topic, byte[] payload) {
        post("/control/participant/data?identity=" + enc(identity) + "&topic=" + enc(topic), payload);
    }

    /** A SIP DTMF digit from the participant, with its RFC 4733 code (0-9, * 10, # 11, A-D 12-15). */
    public void sendDtmf(String identity, String digit) {
        post("/control/participant/dtmf?identity=" + enc(identity) + "&digit=" + enc(digit), new byte[0]);
    }

    /**
     * A SIP DTMF packet from the participant to the client, as LiveKit's SIP bridge sends a caller's key press: a
     * reliable {@code DataPacket} with {@code sip_dtmf {code, digit}}, code and digit as given (so a test can also send
     * an inconsistent pair). Returns the SFU's clock ({@code atMs}) when it was sent.
     */
    public JsonNode sendDtmf(String fromIdentity, int code, String digit) {
        return post("/control/participant/dtmf?identity=" + enc(fromIdentity) + "&code=" + code + "&digit=" + enc(digit),
                new byte[0]);
    }

    // ---- what the SFU received from the client ----

    public ReceivedAudio receivedAudio(int windowMs) {
        return convert(get("/control/received-audio?windowMs=" + windowMs), ReceivedAudio.class);
    }

    /** WebRTC statistics of the connected client's two peer connections, as the SFU sees them. */
    public JsonNode rtcStats() {
        return get("/control/rtc-stats");
    }

    public DataReport data() {
        return convert(get("/control/data"), DataReport.class);
    }

    /** The SIP DTMF packets the client sent, in order. */
    public List<Dtmf> receivedDtmf() {
        return data().dtmf();
    }

    // ---- agents (LiveKit's /agent endpoint) ----

    /** A job LiveKit offered to agent workers, with the statuses it went through (ASSIGNED, JS_RUNNING, JS_SUCCESS...). */
    public record AgentJob(String id, String room, String agentName, String metadata, String workerId, String participantIdentity,
                           String error, List<String> statuses, String status) {}

    /** A worker registered at /agent. */
    public record AgentWorker(String id, String agentName, String version, boolean connected, String status, float load,
                              int jobCount, int pings) {}

    public List<AgentWorker> agentWorkers() {
        return JSON.convertValue(state().path("agents").path("workers"),
                JSON.getTypeFactory().constructCollectionType(List.class, AgentWorker.class));
    }

    public List<AgentJob> agentJobs() {
        return JSON.convertValue(state().path("agents").path("jobs"),
                JSON.getTypeFactory().constructCollectionType(List.class, AgentJob.class));
    }

    /** Explicit dispatch (as AgentDispatchService/CreateDispatch): returns the job id. */
    public String dispatchAgent(String room, String agentName, String metadata) {
        return post("/control/agent/dispatch?room=" + enc(room) + "&agentName=" + enc(agentName),
                metadata == null ? new byte[0] : metadata.getBytes(StandardCharsets.UTF_8)).path("jobId").asText();
    }

    /** LiveKit asks the worker running the job to stop it. */
    public boolean terminateJob(String jobId) {
        return post("/control/agent/terminate?job=" + enc(jobId), new byte[0]).path("terminated").asBoolean();
    }

    // ---- transport ----

    private JsonNode get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    private JsonNode post(String path, byte[] body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private JsonNode send(HttpRequest.Builder request) {
        HttpRequest r = request.timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> response;
        try {
            response = http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("fake SFU unreachable for " + r.method() + " " + r.uri() + ": " + e + "\n"
                    + diagnostics.get(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("fake SFU answered " + response.statusCode() + " to " + r.method() + " "
                    + r.uri().getPath() + ": " + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("fake SFU answered something that is not JSON: " + response.body(), e);
        }
    }

    private static <T> T convert(JsonNode n, Class<T> type) {
        return JSON.convertValue(n, type);
    }

    private static String enc(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
