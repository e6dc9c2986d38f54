package dev.switchboard.testing.livekit;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.interfaces.DecodedJWT;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import livekit.LivekitAgentDispatch;
import livekit.LivekitAgentDispatch.AgentDispatch;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRoom;
import livekit.LivekitSip;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * A fake of LiveKit's server API (Twirp over HTTP), for tests only. It serves
 * <ul>
 *   <li>{@code livekit.RoomService}: DeleteRoom, RemoveParticipant, ListParticipants;</li>
 *   <li>{@code livekit.SIP}: CreateSIPParticipant (dials a number and settles as the test scripted it per number:
 *       {@link DialOutcome}), TransferSIPParticipant (accepted unless the destination refuses);</li>
 *   <li>{@code livekit.AgentDispatchService}: CreateDispatch, ListDispatch, DeleteDispatch,</li>
 * </ul>
 * with LiveKit's own protobuf messages (the classes of {@code io.livekit:livekit-server}), {@code application/protobuf}
 * or {@code application/json} bodies (answered in the format asked), and LiveKit's errors: Twirp JSON
 * {@code {"code","msg","meta"}} with Twirp's HTTP status, SIP statuses in {@code meta}.
 *
 * <p>Like LiveKit it checks {@code Authorization: Bearer <JWT>}: HS256 with the API secret, issuer = API key, not
 * expired, and the method's grant: roomCreate for DeleteRoom; roomAdmin for the request's room for
 * RemoveParticipant, ListParticipants and the dispatch methods; {@code sip.call} for CreateSIPParticipant;
 * {@code sip.call} and roomAdmin for the room for TransferSIPParticipant. Anything else is 401 {@code unauthenticated}.
 *
 * <p>Tests script it (rooms and participants, outcomes per dialled number, transfer refusals, API faults in a
 * method's next calls or at random), may connect a media fake through {@link RoomMedia}, and read back every
 * request it received. Depends only on the JDK, the SDK's protobuf classes (with protobuf-java-util's JsonFormat)
 * and auth0's java-jwt (which the SDK uses too).
 */
public final class FakeLiveKitServer implements AutoCloseable {
    public static final String DEFAULT_API_KEY = "fake-api-key";
    public static final String DEFAULT_API_SECRET = "fake-api-secret-that-is-long-enough-for-hs256";
    /** The outbound trunk the fake knows from the start; others are added with {@link #outboundTrunk}. */
    public static final String DEFAULT_OUTBOUND_TRUNK = "ST_fakeOutboundTrunk";

    public static final String DELETE_ROOM = "DeleteRoom";
    public static final String REMOVE_PARTICIPANT = "RemoveParticipant";
    public static final String LIST_PARTICIPANTS = "ListParticipants";
    public static final String CREATE_SIP_PARTICIPANT = "CreateSIPParticipant";
    public static final String TRANSFER_SIP_PARTICIPANT = "TransferSIPParticipant";
    public static final String CREATE_DISPATCH = "CreateDispatch";
    public static final String LIST_DISPATCH = "ListDispatch";
    public static final String DELETE_DISPATCH = "DeleteDispatch";

    private static final String PREFIX = "/twirp/";
    private static final RoomMedia NO_MEDIA = new RoomMedia() {
    };

    /**
     * One request as received.
     *
     * @param method      the Twirp method (DeleteRoom, CreateSIPParticipant...), or whatever path followed the service
     * @param contentType the request's content type
     * @param room        the room the request names (empty when the body could not be read)
     * @param identity    the participant the request names, if the method has one
     * @param authFailure why the request was refused as unauthenticated; null when the token and grant were right
     * @param video       the token's video grant, as decoded (empty when the token was not valid)
     * @param sip         the token's SIP grant, as decoded
     * @param body        the request message as parsed; null when it could not be read
     * @param status      the HTTP status answered
     * @param errorCode   the Twirp error code answered; null on success
     * @param fault       the injected fault's kind, if one was injected into this call
     */
    public record RecordedRequest(String method, String contentType, String room, String identity, String authFailure,
                                  Map<String, Object> video, Map<String, Object> sip, Message body, int status,
                                  String errorCode, String fault) {
        public boolean authorized() {
            return authFailure == null;
        }

        /** The request message as its LiveKit type, e.g. {@code body(CreateSIPParticipantRequest.class)}. */
        public <T extends Message> T body(Class<T> type) {
            return type.cast(body);
        }
    }

    @FunctionalInterface
    private interface Handler {
        Answer handle(Message request) throws InterruptedException;
    }

    @FunctionalInterface
    private interface Grant {
        /** Null when the token's grants allow the call, else why not. */
        String missing(String method, String room, Map<String, Object> video, Map<String, Object> sip);
    }

    private record Route(Supplier<Message.Builder> request, String roomField, String identityField, Grant grant, Handler handler) {
    }

    private record RandomFaults(double probability, Random random, List<ApiFault> kinds) {
    }

    private final String apiKey;
    private final String apiSecret;
    private final HttpServer server;
    private final FakeRooms rooms = new FakeRooms();
    private final FakeSipBridge sip;
    private final Map<String, Route> routes = new HashMap<>();
    private final Map<String, Deque<ApiFault>> scriptedFaults = new HashMap<>();
    private final Map<String, RandomFaults> randomFaults = new HashMap<>();
    private final Map<String, Integer> injected = new ConcurrentHashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private volatile RoomMedia media = NO_MEDIA;

    public FakeLiveKitServer() {
        this(DEFAULT_API_KEY, DEFAULT_API_SECRET);
    }

    public FakeLiveKitServer(String apiKey, String apiSecret) {
        this.apiKey = Objects.requireNonNull(apiKey);
        this.apiSecret = Objects.requireNonNull(apiSecret);
        this.sip = new FakeSipBridge(rooms, () -> media);
        sip.outboundTrunk(DEFAULT_OUTBOUND_TRUNK);
        registerRoutes();
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake LiveKit server", e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext(PREFIX, this::twirp);
        server.start();
    }

    /** The http:// address a server SDK is configured with. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The same address as clients write LIVEKIT_URL, ws://. */
    public String wsUrl() {
        return "ws://127.0.0.1:" + server.getAddress().getPort();
    }

    public String apiKey() {
        return apiKey;
    }

    public String apiSecret() {
        return apiSecret;
    }

    // ------------------------------------------------------------------ scripting

    /** Creates (or replaces) a room with these participants. */
    public FakeLiveKitServer room(String room, ParticipantInfo... participants) {
        rooms.replace(room, List.of(participants));
        return this;
    }

    /** A participant as ListParticipants returns it. */
    public static ParticipantInfo participant(String identity, ParticipantInfo.Kind kind, Map<String, String> attributes) {
        return ParticipantInfo.newBuilder()
                .setSid("PA_" + Integer.toHexString(identity.hashCode()))
                .setIdentity(identity)
                .setName(identity)
                .setKind(kind)
                .setState(ParticipantInfo.State.ACTIVE)
                .putAllAttributes(attributes)
                .build();
    }

    /** A SIP participant of an established call, with the attributes LiveKit's SIP bridge sets (a transfer needs sip.callID). */
    public static ParticipantInfo sipParticipant(String identity, String phoneNumber) {
        return participant(identity, ParticipantInfo.Kind.SIP, Map.of(
                "sip.phoneNumber", phoneNumber,
                "sip.callID", "SCL_" + Integer.toHexString(identity.hashCode()),
                "sip.callStatus", "active"));
    }

    /** An agent dispatch of the room (created if absent), as CreateDispatch would have made it. */
    public AgentDispatch dispatch(String room, String agentName, String metadata) {
        return rooms.dispatch(room, agentName, metadata);
    }

    /** What happens when {@code number} is dialled; numbers without an outcome answer at once. */
    public FakeLiveKitServer dialOutcome(String number, DialOutcome outcome) {
        sip.outcome(number, outcome);
        return this;
    }

    /** TransferSIPParticipant to {@code destination} is refused with this SIP status; other destinations accept. */
    public FakeLiveKitServer refuseTransfersTo(String destination, int sipStatus, String reason) {
        sip.refuseTransfersTo(destination, sipStatus, reason);
        return this;
    }

    /** Makes an outbound trunk known; CreateSIPParticipant with an unknown trunk id is 404. */
    public FakeLiveKitServer outboundTrunk(String trunkId) {
        sip.outboundTrunk(trunkId);
        return this;
    }

    /** The next {@code times} calls of {@code method} are answered with {@code status} (e.g. 503) and not carried out. */
    public FakeLiveKitServer failNext(String method, int times, int status) {
        ApiFault[] faults = new ApiFault[times];
        Arrays.fill(faults, new ApiFault.HttpError(status));
        return faultNext(method, faults);
    }

    /** The next calls of {@code method} meet these faults, one each, in order. */
    public synchronized FakeLiveKitServer faultNext(String method, ApiFault... faults) {
        scriptedFaults.computeIfAbsent(method, m -> new ArrayDeque<>()).addAll(List.of(faults));
        return this;
    }

    /** Each call of {@code method} meets one of {@code kinds} (chosen at random) with this probability; reproducible by seed. */
    public synchronized FakeLiveKitServer randomFaults(String method, double probability, long seed, ApiFault... kinds) {
        randomFaults.put(method, new RandomFaults(probability, new Random(seed), List.of(kinds)));
        return this;
    }

    /** How many faults of each kind were injected since the last reset. */
    public Map<String, Integer> faultsInjected() {
        return new TreeMap<>(injected);
    }

    /** Connects a media fake; {@link #reset()} keeps it. */
    public FakeLiveKitServer media(RoomMedia media) {
        this.media = media == null ? NO_MEDIA : media;
        return this;
    }

    public boolean hasRoom(String room) {
        return rooms.exists(room);
    }

    /** The identities of the room's participants; empty when the room does not exist. */
    public List<String> participants(String room) {
        return rooms.participants(room).orElse(List.of()).stream().map(ParticipantInfo::getIdentity).toList();
    }

    /** The participant as LiveKit holds it now (attributes included); empty when it is not in the room. */
    public Optional<ParticipantInfo> findParticipant(String room, String identity) {
        return rooms.participant(room, identity);
    }

    /** The agent dispatches of the room; empty when the room does not exist. */
    public List<AgentDispatch> dispatches(String room) {
        return rooms.dispatches(room).orElse(List.of());
    }

    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** The requests of one method for one room, oldest first. */
    public List<RecordedRequest> requests(String method, String room) {
        return requests.stream().filter(r -> r.method().equals(method) && r.room().equals(room)).toList();
    }

    /** The requests naming one room, oldest first. */
    public List<RecordedRequest> requestsFor(String room) {
        return requests.stream().filter(r -> r.room().equals(room)).toList();
    }

    /** Forgets rooms, scripts, faults and recorded requests (the media hook stays). */
    public synchronized void reset() {
        rooms.clear();
        sip.clear();
        sip.outboundTrunk(DEFAULT_OUTBOUND_TRUNK);
        scriptedFaults.clear();
        randomFaults.clear();
        injected.clear();
        requests.clear();
    }

    // ------------------------------------------------------------------ the API

    private void registerRoutes() {
        routes.put("livekit.RoomService/" + DELETE_ROOM, new Route(LivekitRoom.DeleteRoomRequest::newBuilder, "room", null,
                FakeLiveKitServer::roomCreate, this::deleteRoom));
        routes.put("livekit.RoomService/" + REMOVE_PARTICIPANT, new Route(LivekitRoom.RoomParticipantIdentity::newBuilder, "room", "identity",
                FakeLiveKitServer::roomAdmin, this::removeParticipant));
        routes.put("livekit.RoomService/" + LIST_PARTICIPANTS, new Route(LivekitRoom.ListParticipantsRequest::newBuilder, "room", null,
                FakeLiveKitServer::roomAdmin, this::listParticipants));
        routes.put("livekit.SIP/" + CREATE_SIP_PARTICIPANT, new Route(LivekitSip.CreateSIPParticipantRequest::newBuilder, "room_name",
                "participant_identity", FakeLiveKitServer::sipCall,
                request -> sip.createParticipant((LivekitSip.CreateSIPParticipantRequest) request)));
        routes.put("livekit.SIP/" + TRANSFER_SIP_PARTICIPANT, new Route(LivekitSip.TransferSIPParticipantRequest::newBuilder, "room_name",
                "participant_identity", (method, room, video, sipGrant) -> {
                    String missing = sipCall(method, room, video, sipGrant);
                    return missing != null ? missing : roomAdmin(method, room, video, sipGrant);
                },
                request -> sip.transfer((LivekitSip.TransferSIPParticipantRequest) request)));
        routes.put("livekit.AgentDispatchService/" + CREATE_DISPATCH, new Route(LivekitAgentDispatch.CreateAgentDispatchRequest::newBuilder,
                "room", null, FakeLiveKitServer::roomAdmin, this::createDispatch));
        routes.put("livekit.AgentDispatchService/" + LIST_DISPATCH, new Route(LivekitAgentDispatch.ListAgentDispatchRequest::newBuilder,
                "room", null, FakeLiveKitServer::roomAdmin, this::listDispatch));
        routes.put("livekit.AgentDispatchService/" + DELETE_DISPATCH, new Route(LivekitAgentDispatch.DeleteAgentDispatchRequest::newBuilder,
                "room", null, FakeLiveKitServer::roomAdmin, this::deleteDispatch));
    }

    private Answer deleteRoom(Message request) {
        String room = ((LivekitRoom.DeleteRoomRequest) request).getRoom();
        if (!rooms.delete(room)) {
            return Answer.failed("not_found", "requested room does not exist");
        }
        return hook(() -> media.roomDeleted(room), LivekitRoom.DeleteRoomResponse.getDefaultInstance());
    }

    private Answer removeParticipant(Message request) {
        var remove = (LivekitRoom.RoomParticipantIdentity) request;
        return switch (rooms.remove(remove.getRoom(), remove.getIdentity())) {
            case NO_ROOM -> Answer.failed("not_found", "requested room does not exist");
            case NO_PARTICIPANT -> Answer.failed("not_found", "participant does not exist");
            case REMOVED -> hook(() -> media.participantLeft(remove.getRoom(), remove.getIdentity(), DisconnectReason.PARTICIPANT_REMOVED),
                    LivekitRoom.RemoveParticipantResponse.getDefaultInstance());
        };
    }

    private Answer listParticipants(Message request) {
        return rooms.participants(((LivekitRoom.ListParticipantsRequest) request).getRoom())
                .<Answer>map(list -> Answer.ok(LivekitRoom.ListParticipantsResponse.newBuilder().addAllParticipants(list).build()))
                .orElseGet(() -> Answer.failed("not_found", "requested room does not exist"));
    }

    private Answer createDispatch(Message request) {
        var create = (LivekitAgentDispatch.CreateAgentDispatchRequest) request;
        // LiveKit creates the room if needed (auto-create) and sends the named agent to it.
        AgentDispatch dispatch = rooms.dispatch(create.getRoom(), create.getAgentName(), create.getMetadata());
        return hook(() -> media.agentDispatched(create.getRoom(), create.getAgentName(), create.getMetadata()), dispatch);
    }

    private Answer listDispatch(Message request) {
        var list = (LivekitAgentDispatch.ListAgentDispatchRequest) request;
        return rooms.dispatches(list.getRoom())
                .<Answer>map(all -> Answer.ok(LivekitAgentDispatch.ListAgentDispatchResponse.newBuilder()
                        .addAllAgentDispatches(all.stream()
                                .filter(d -> list.getDispatchId().isEmpty() || d.getId().equals(list.getDispatchId())).toList())
                        .build()))
                .orElseGet(() -> Answer.failed("not_found", "requested room does not exist"));
    }

    private Answer deleteDispatch(Message request) {
        var delete = (LivekitAgentDispatch.DeleteAgentDispatchRequest) request;
        return rooms.deleteDispatch(delete.getRoom(), delete.getDispatchId())
                .<Answer>map(Answer::ok)
                .orElseGet(() -> Answer.failed("not_found", "dispatch not found"));
    }

    /** Runs a media hook; a hook that throws fails the call (the test's wiring is broken, not the code under test). */
    private static Answer hook(Runnable call, Message response) {
        try {
            call.run();
            return Answer.ok(response);
        } catch (RuntimeException e) {
            return Answer.failed("internal", "media hook failed: " + e);
        }
    }

    private static String roomCreate(String method, String room, Map<String, Object> video, Map<String, Object> sip) {
        return Boolean.TRUE.equals(video.get("roomCreate")) ? null : method + " needs the roomCreate grant";
    }

    private static String roomAdmin(String method, String room, Map<String, Object> video, Map<String, Object> sip) {
        if (!Boolean.TRUE.equals(video.get("roomAdmin"))) {
            return method + " needs the roomAdmin grant";
        }
        return room.equals(video.get("room")) ? null : method + " needs a grant for room " + room + ", token has " + video.get("room");
    }

    private static String sipCall(String method, String room, Map<String, Object> video, Map<String, Object> sip) {
        return Boolean.TRUE.equals(sip.get("call")) ? null : method + " needs the sip.call grant";
    }

    // ------------------------------------------------------------------ protocol

    private void twirp(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String method = path.substring(path.indexOf('/') + 1);
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            boolean json = contentType.startsWith("application/json");
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, new TwirpError(405, "bad_route", "Twirp accepts POST only", Map.of()));
                return;
            }
            if (!json && !contentType.startsWith("application/protobuf")) {
                error(exchange, new TwirpError(415, "bad_route", "unexpected Content-Type: " + contentType, Map.of()));
                return;
            }
            byte[] bytes = exchange.getRequestBody().readAllBytes();
            Route route = routes.get(path);
            if (route == null) {
                record(method, contentType, "", null, null, Map.of(), Map.of(), null, TwirpError.of("bad_route", "no handler"), null);
                error(exchange, TwirpError.of("bad_route", "no handler for " + path));
                return;
            }
            Message request;
            try {
                request = parse(route, bytes, json);
            } catch (InvalidProtocolBufferException e) {
                TwirpError malformed = TwirpError.of("malformed", "cannot read the request: " + e.getMessage());
                record(method, contentType, "", null, null, Map.of(), Map.of(), null, malformed, null);
                error(exchange, malformed);
                return;
            }
            String room = field(request, route.roomField());
            String identity = route.identityField() == null ? null : field(request, route.identityField());

            Map<String, Object> video = Map.of();
            Map<String, Object> sipGrant = Map.of();
            String authFailure;
            try {
                DecodedJWT token = verify(exchange.getRequestHeaders().getFirst("Authorization"));
                video = claim(token, "video");
                sipGrant = claim(token, "sip");
                authFailure = route.grant().missing(method, room, video, sipGrant);
            } catch (JWTVerificationException | IllegalArgumentException e) {
                authFailure = e.getMessage();
            }
            if (authFailure != null) {
                TwirpError refused = TwirpError.of("unauthenticated", authFailure);
                record(method, contentType, room, identity, authFailure, video, sipGrant, request, refused, null);
                error(exchange, refused);
                return;
            }
            Call call = new Call(method, contentType, room, identity, video, sipGrant, request, json);
            ApiFault fault = nextFault(method);
            if (fault == null) {
                respond(exchange, call, carryOut(route, request), null);
                return;
            }
            injected.merge(fault.kind(), 1, Integer::sum);
            switch (fault) {
                case ApiFault.HttpError httpError ->
                        respond(exchange, call, new Answer.Failed(TwirpError.ofStatus(httpError.status(), "scripted failure")), fault);
                case ApiFault.RoomVanished vanished -> {
                    if (rooms.delete(room)) {
                        media.roomDeleted(room);
                    }
                    respond(exchange, call, carryOut(route, request), fault);
                }
                case ApiFault.Timeout timeout -> {
                    Answer answer = timeout.carriedOut() ? carryOut(route, request)
                            : Answer.failed("unavailable", "scripted timeout: nothing was done");
                    record(call, answer, fault);
                    sleep(timeout.delay());
                    send(exchange, call, answer);
                }
            }
        }
    }

    private record Call(String method, String contentType, String room, String identity, Map<String, Object> video,
                        Map<String, Object> sip, Message request, boolean json) {
    }

    private static Answer carryOut(Route route, Message request) {
        try {
            return route.handler().handle(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.failed("unavailable", "the fake is shutting down");
        }
    }

    private void respond(HttpExchange exchange, Call call, Answer answer, ApiFault fault) throws IOException {
        record(call, answer, fault);
        send(exchange, call, answer);
    }

    private static void send(HttpExchange exchange, Call call, Answer answer) throws IOException {
        try {
            switch (answer) {
                case Answer.Ok ok -> {
                    byte[] bytes = call.json()
                            ? JsonFormat.printer().print(ok.response()).getBytes(StandardCharsets.UTF_8)
                            : ok.response().toByteArray();
                    send(exchange, 200, call.json() ? "application/json" : "application/protobuf", bytes);
                }
                case Answer.Failed failed -> error(exchange, failed.error());
            }
        } catch (IOException e) {
            // The client gave up (its timeout): what LiveKit did stays done, the answer is lost.
        }
    }

    private static Message parse(Route route, byte[] body, boolean json) throws InvalidProtocolBufferException {
        Message.Builder builder = route.request().get();
        if (json) {
            JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), builder);
        } else {
            builder.mergeFrom(body);
        }
        return builder.build();
    }

    private static String field(Message message, String name) {
        return (String) message.getField(message.getDescriptorForType().findFieldByName(name));
    }

    private synchronized ApiFault nextFault(String method) {
        Deque<ApiFault> queued = scriptedFaults.get(method);
        if (queued != null && !queued.isEmpty()) {
            return queued.poll();
        }
        RandomFaults random = randomFaults.get(method);
        if (random != null && random.random().nextDouble() < random.probability()) {
            return random.kinds().get(random.random().nextInt(random.kinds().size()));
        }
        return null;
    }

    private DecodedJWT verify(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw new IllegalArgumentException("missing Bearer token");
        }
        DecodedJWT token = JWT.require(Algorithm.HMAC256(apiSecret))
                .withIssuer(apiKey)
                .build()
                .verify(authorization.substring("Bearer ".length()).trim());
        if (token.getExpiresAt() == null) {
            throw new IllegalArgumentException("the token has no expiry");
        }
        return token;
    }

    private static Map<String, Object> claim(DecodedJWT token, String name) {
        Map<String, Object> claim = token.getClaim(name).asMap();
        return claim == null ? Map.of() : Map.copyOf(claim);
    }

    private void record(Call call, Answer answer, ApiFault fault) {
        record(call.method(), call.contentType(), call.room(), call.identity(), null, call.video(), call.sip(), call.request(),
                answer instanceof Answer.Failed failed ? failed.error() : null, fault, answer.status());
    }

    private void record(String method, String contentType, String room, String identity, String authFailure,
                        Map<String, Object> video, Map<String, Object> sip, Message body, TwirpError error, ApiFault fault) {
        record(method, contentType, room, identity, authFailure, video, sip, body, error, fault, error == null ? 200 : error.httpStatus());
    }

    private void record(String method, String contentType, String room, String identity, String authFailure,
                        Map<String, Object> video, Map<String, Object> sip, Message body, TwirpError error, ApiFault fault,
                        int status) {
        requests.add(new RecordedRequest(method, contentType, room, identity, authFailure, Map.copyOf(video), Map.copyOf(sip), body,
                status, error == null ? null : error.code(), fault == null ? null : fault.kind()));
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Twirp errors are JSON whatever the request's format. */
    private static void error(HttpExchange exchange, TwirpError error) throws IOException {
        send(exchange, error.httpStatus(), "application/json", error.toJson().getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
