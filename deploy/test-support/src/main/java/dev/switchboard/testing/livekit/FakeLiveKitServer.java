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
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRoom;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A fake of LiveKit's server API (Twirp over HTTP), for tests only: {@code POST /twirp/livekit.RoomService/DeleteRoom},
 * {@code /RemoveParticipant} and {@code /ListParticipants}, with {@code application/protobuf} or {@code application/json}
 * bodies (it answers in the format it was asked in).
 *
 * <p>Like LiveKit it checks {@code Authorization: Bearer <JWT>}: HS256 with the API secret, issuer = API key, not
 * expired, and the method's video grant (roomCreate for DeleteRoom; roomAdmin and the request's room for
 * RemoveParticipant and ListParticipants). Anything else is answered 401 {@code unauthenticated}. Unknown rooms and
 * participants are 404 {@code not_found}, with Twirp's error body {@code {"code":"not_found","msg":"..."}}.
 *
 * <p>Tests script it (rooms with participants, the next N calls of a method failing with a status) and read back
 * every request it received. Depends only on the JDK, the protobuf classes of {@code io.livekit:livekit-server}
 * (with protobuf-java-util's JsonFormat, which the SDK brings) and auth0's java-jwt (which the SDK uses too).
 */
public final class FakeLiveKitServer implements AutoCloseable {
    public static final String DEFAULT_API_KEY = "fake-api-key";
    public static final String DEFAULT_API_SECRET = "fake-api-secret-that-is-long-enough-for-hs256";

    private static final String PREFIX = "/twirp/livekit.RoomService/";
    public static final String DELETE_ROOM = "DeleteRoom";
    public static final String REMOVE_PARTICIPANT = "RemoveParticipant";
    public static final String LIST_PARTICIPANTS = "ListParticipants";

    /**
     * One request as received.
     *
     * @param method      DeleteRoom, RemoveParticipant, ListParticipants (or whatever path followed the prefix)
     * @param contentType the request's content type
     * @param room        the room named in the body (empty when the body could not be read)
     * @param identity    the participant named in the body, for RemoveParticipant
     * @param authFailure why the request was refused as unauthenticated; null when the token and grant were right
     * @param video       the token's video grant, as decoded (empty when the token was not valid)
     * @param status      the HTTP status answered
     */
    public record RecordedRequest(String method, String contentType, String room, String identity, String authFailure,
                                  Map<String, Object> video, int status) {
        public boolean authorized() {
            return authFailure == null;
        }
    }

    private record ScriptedFailure(int remaining, int status) {
    }

    private final String apiKey;
    private final String apiSecret;
    private final HttpServer server;
    private final Map<String, Map<String, ParticipantInfo>> rooms = new HashMap<>();
    private final Map<String, ScriptedFailure> failures = new HashMap<>();
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

    public FakeLiveKitServer() {
        this(DEFAULT_API_KEY, DEFAULT_API_SECRET);
    }

    public FakeLiveKitServer(String apiKey, String apiSecret) {
        this.apiKey = Objects.requireNonNull(apiKey);
        this.apiSecret = Objects.requireNonNull(apiSecret);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
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
    public synchronized FakeLiveKitServer room(String room, ParticipantInfo... participants) {
        Map<String, ParticipantInfo> byIdentity = new LinkedHashMap<>();
        for (ParticipantInfo p : participants) {
            byIdentity.put(p.getIdentity(), p);
        }
        rooms.put(room, byIdentity);
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

    /** The next {@code times} calls of {@code method} are answered with {@code status} (e.g. 503) before it is carried out. */
    public synchronized FakeLiveKitServer failNext(String method, int times, int status) {
        failures.put(method, new ScriptedFailure(times, status));
        return this;
    }

    public synchronized boolean hasRoom(String room) {
        return rooms.containsKey(room);
    }

    /** The identities of the room's participants; empty when the room does not exist. */
    public synchronized List<String> participants(String room) {
        return List.copyOf(rooms.getOrDefault(room, Map.of()).keySet());
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

    public synchronized void reset() {
        rooms.clear();
        failures.clear();
        requests.clear();
    }

    // ------------------------------------------------------------------ protocol

    private void twirp(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestURI().getPath().substring(PREFIX.length());
            String contentType = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type"));
            boolean json = contentType.startsWith("application/json");
            if (!"POST".equals(exchange.getRequestMethod())) {
                error(exchange, 405, "bad_route", "Twirp accepts POST only");
                return;
            }
            if (!json && !contentType.startsWith("application/protobuf")) {
                error(exchange, 415, "bad_route", "unexpected Content-Type: " + contentType);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            Message request;
            try {
                request = parse(method, body, json);
            } catch (InvalidProtocolBufferException e) {
                record(method, contentType, "", null, null, Map.of(), 400);
                error(exchange, 400, "malformed", "cannot read the request: " + e.getMessage());
                return;
            }
            if (request == null) {
                record(method, contentType, "", null, null, Map.of(), 404);
                error(exchange, 404, "bad_route", "no handler for " + method);
                return;
            }
            String room = (String) request.getField(request.getDescriptorForType().findFieldByName("room"));
            var identityField = request.getDescriptorForType().findFieldByName("identity");
            String identity = identityField == null ? null : (String) request.getField(identityField);

            Map<String, Object> video = Map.of();
            String authFailure;
            try {
                DecodedJWT token = verify(exchange.getRequestHeaders().getFirst("Authorization"));
                Map<String, Object> claim = token.getClaim("video").asMap();
                video = claim == null ? Map.of() : claim;
                authFailure = missingGrant(method, room, video);
            } catch (JWTVerificationException | IllegalArgumentException e) {
                authFailure = e.getMessage();
            }
            if (authFailure != null) {
                record(method, contentType, room, identity, authFailure, video, 401);
                error(exchange, 401, "unauthenticated", authFailure);
                return;
            }
            Integer scripted = takeScriptedFailure(method);
            if (scripted != null) {
                record(method, contentType, room, identity, null, video, scripted);
                error(exchange, scripted, twirpCode(scripted), "scripted failure");
                return;
            }
            Answer answer = carryOut(method, room, identity);
            record(method, contentType, room, identity, null, video, answer.status());
            if (answer.response() == null) {
                error(exchange, answer.status(), twirpCode(answer.status()), answer.message());
            } else {
                respond(exchange, json, answer.response());
            }
        }
    }

    private static Message parse(String method, byte[] body, boolean json) throws InvalidProtocolBufferException {
        Message.Builder builder = switch (method) {
            case DELETE_ROOM -> LivekitRoom.DeleteRoomRequest.newBuilder();
            case REMOVE_PARTICIPANT -> LivekitRoom.RoomParticipantIdentity.newBuilder();
            case LIST_PARTICIPANTS -> LivekitRoom.ListParticipantsRequest.newBuilder();
            default -> null;
        };
        if (builder == null) {
            return null;
        }
        if (json) {
            JsonFormat.parser().merge(new String(body, StandardCharsets.UTF_8), builder);
        } else {
            builder.mergeFrom(body);
        }
        return builder.build();
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

    /** LiveKit's rule per method; null when the grant suffices. */
    private static String missingGrant(String method, String room, Map<String, Object> video) {
        return switch (method) {
            case DELETE_ROOM -> Boolean.TRUE.equals(video.get("roomCreate")) ? null : "DeleteRoom needs the roomCreate grant";
            case REMOVE_PARTICIPANT, LIST_PARTICIPANTS -> {
                if (!Boolean.TRUE.equals(video.get("roomAdmin"))) {
                    yield method + " needs the roomAdmin grant";
                }
                yield room.equals(video.get("room")) ? null : method + " needs a grant for room " + room + ", token has " + video.get("room");
            }
            default -> "unknown method " + method;
        };
    }

    private synchronized Integer takeScriptedFailure(String method) {
        ScriptedFailure failure = failures.get(method);
        if (failure == null || failure.remaining() <= 0) {
            return null;
        }
        failures.put(method, new ScriptedFailure(failure.remaining() - 1, failure.status()));
        return failure.status();
    }

    private record Answer(int status, Message response, String message) {
    }

    private synchronized Answer carryOut(String method, String room, String identity) {
        Map<String, ParticipantInfo> participants = rooms.get(room);
        if (participants == null) {
            return new Answer(404, null, "requested room does not exist");
        }
        return switch (method) {
            case DELETE_ROOM -> {
                rooms.remove(room);
                yield new Answer(200, LivekitRoom.DeleteRoomResponse.getDefaultInstance(), null);
            }
            case REMOVE_PARTICIPANT -> participants.remove(identity) == null
                    ? new Answer(404, null, "participant not found")
                    : new Answer(200, LivekitRoom.RemoveParticipantResponse.getDefaultInstance(), null);
            case LIST_PARTICIPANTS -> new Answer(200, LivekitRoom.ListParticipantsResponse.newBuilder()
                    .addAllParticipants(new ArrayList<>(participants.values())).build(), null);
            default -> new Answer(404, null, "no handler for " + method);
        };
    }

    private void record(String method, String contentType, String room, String identity, String authFailure,
                        Map<String, Object> video, int status) {
        requests.add(new RecordedRequest(method, contentType, room, identity, authFailure, Map.copyOf(video), status));
    }

    private static String twirpCode(int status) {
        return switch (status) {
            case 400 -> "invalid_argument";
            case 401 -> "unauthenticated";
            case 403 -> "permission_denied";
            case 404 -> "not_found";
            case 408 -> "deadline_exceeded";
            case 429 -> "resource_exhausted";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "unknown";
        };
    }

    private static void respond(HttpExchange exchange, boolean json, Message response) throws IOException {
        byte[] bytes = json
                ? JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8)
                : response.toByteArray();
        send(exchange, 200, json ? "application/json" : "application/protobuf", bytes);
    }

    /** Twirp errors are JSON whatever the request's format. */
    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        String body = "{\"code\":\"" + code + "\",\"msg\":\"" + jsonEscape(message) + "\"}";
        send(exchange, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String jsonEscape(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
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
