package dev.switchboard.testing.http;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates what an attacker or a careless client sends to a service's API, reproducibly from a seed: broken HTTP
 * (request lines, versions, headers, framing, targets) and well-framed requests with hostile parts (wrong methods,
 * path and query values with NUL bytes, huge or out-of-range values, Accept and Content-Type headers that cannot be
 * served, malformed, deep, huge or mistyped JSON). Well-formed bodies never go to a route with side effects.
 */
public final class HostileRequests {
    /**
     * A well-formed request line with an HTTP version the server does not implement (HTTP/9.9): HTTP's own answer is
     * a 5xx (505, RFC 9110 section 15.6.6; Vert.x answers 501 before any service code runs, or, once a WebSocket
     * handler is installed, reads the request as HTTP/1.1).
     */
    public static final String UNSUPPORTED_VERSION = "unsupported version";

    /** How the kind of every well-framed request (valid HTTP with hostile parts) begins: "hostile GET", ... */
    public static final String WELL_FRAMED = "hostile ";

    /** In every generated value that could end up in a metric tag: it must never be found in one. */
    public static final String MARKER = "hx7q";

    private static final String[] METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE", "FOO", "get"};
    private static final String[] ACCEPTS = {"", " ", ",", "foo", ";;", "*/", "application/", "*/*", "application/json", "text/html",
            "application/json;q=2", "application/json;q=abc", "*/*;q=0", "text/*", "image/png, */*;q=0.1", "application/problem+json",
            "text/plain", "text/vtt", "application/x-subrip", "text/event-stream", "application/json, foo/bar;;q=x", "\t",
            "application/json;charset=\"unterminated", "x".repeat(5000), "text/event-stream;q=0", "text/event-stream, application/problem+json",
            "text/event-stream;charset=ebcdic", "application/json;q=0.5, text/event-stream;q=0.1"};
    private static final String[] CONTENT_TYPES = {"application/json", "application/json", "text/plain", "", ";;", "application/",
            "application/json; charset=ebcdic", "application/json; charset=utf-8", "multipart/form-data; boundary=x",
            "application/x-www-form-urlencoded", "application/xml", "application/webhook+json", "*/*", "application/json;;;"};
    private static final String[] VALUES = {"", " ", "%00", "a%00b", "%2F", "..", "%2e%2e", "%ff%fe", "%C0%AF", "%E2%82%AC",
            "%F0%9F%98%80", "%3Cscript%3E", "'%20OR%201%3D1--", "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D", "%0d%0aSet-Cookie:%20x",
            "-1", "0", "1", "999999999999999999999", "1e309", "NaN", "true", "maybe", "null",
            "%2B999999999-12-31T23:59:59Z", "-999999999-01-01T00:00:00Z", "2025-13-45T99:99:99Z", "2025-01-31T09:00:00Z",
            "1-2-3-4-5", "00000000-0000-0000-0000-000000000000", "not-a-uuid", "czF8LXN0YXJ0ZWRBdHx8", "%%%", "%", "%0",
            "live", "ended", "srt", "json", "de", "-duration", "USER", "INBOUND", "+14155550100", "5s", "0", "31s", "PT1H",
            "vtt", "text", "OUTBOUND", "BUSY", "ANSWERED", "TRUNK_FAILURE", "MACHINE", "dialing", "failed", "dialing,answered", ",",
            "DIALING,%00", "%2B1%20415%20555%200100", "sip%3Aalice%40example.com"};
    private static final String[] JSON_SCALARS = {"\"\"", "\" \"", "\"\\u0000\"", "\"a\\u0000b\"", "null", "true", "false", "0", "-1",
            "1e309", "123456789012345678901234567890", "\"system\"", "\"user\"", "\"replace\"", "\"\\ud800\"", "[]", "{}",
            "[1, 2]", "{\"nested\": {\"deeper\": [null]}}", "\"<script>alert(1)</script>\"", "\"${jndi:ldap://x}\"",
            "\"+14155550100\"", "\"sip:alice@example.com\"", "\"tel:+14155550100\"", "\"123#*\"", "\"w1w2\"",
            "\"" + "9".repeat(300) + "\"", "\"front-desk\""};

    private final ServiceApi api;
    private final Random random;
    private final Map<String, List<String>> known;

    public HostileRequests(ServiceApi api, long seed) {
        this(api, seed, Map.of());
    }

    /**
     * @param known by path or query parameter name, values (already encoded) that name something the service has,
     *              such as a stored session's room or a live session, or that it takes (the formats of a transcript): a
     *              request uses one for that parameter every other time, so hostile parts also reach what is found
     *              (renderings, conditional requests, the checks of a command against a live session) and not only
     *              what is not. Never a DELETE (it would remove what they name for the rest of the run), and a route
     *              with side effects still gets only bodies that cannot be read: what else is sent with them must
     *              leave them as the run needs them (the gateway's live session takes commands its fake worker applies).
     */
    public HostileRequests(ServiceApi api, long seed, Map<String, List<String>> known) {
        this.api = api;
        this.random = new Random(seed);
        this.known = Map.copyOf(known);
    }

    /** One request: its kind (for the figures) and its bytes. */
    public record Hostile(String kind, byte[] bytes) {
    }

    public Hostile next() {
        int roll = random.nextInt(100);
        if (roll < 25) {
            return brokenHttp();
        }
        return hostileParts();
    }

    private Hostile brokenHttp() {
        ServiceApi.Route picked = pick(api.routes());
        // Broken framing can still leave a request the server reads: never one that starts something.
        ServiceApi.Route route = picked.sideEffects() ? ServiceApi.Route.get(picked.template()) : picked;
        String path = route.path(p -> value());
        return switch (random.nextInt(14)) {
            case 0 -> new Hostile("garbage", concat(randomBytes(1 + random.nextInt(200)), "\r\n\r\n"));
            case 1 -> random.nextBoolean()
                    ? new Hostile("bad version", ascii(route.method() + " " + path + " " + pick(new String[]{"HTTP/1.x", "HTTP/",
                    "HTTP/1.1.1", "HTTP/1", "HTTP 1.1", ""}) + "\r\nHost: x\r\nConnection: close\r\n\r\n"))
                    : new Hostile(UNSUPPORTED_VERSION, ascii(route.method() + " " + path + " " + pick(new String[]{"HTTP/9.9", "HTTP/2.0",
                    "HTTP/1.2", "HTTP/0.9", "http/1.1", "HTTPS/1.1"}) + "\r\nHost: x\r\nConnection: close\r\n\r\n"));
            case 2 -> new Hostile("odd method", ascii(pick(new String[]{"G E T", "X".repeat(2000), "CONNECT", "\u0001GET", "PRI"})
                    + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            case 3 -> new Hostile("host", ascii(route.method() + " " + path + " HTTP/1.1\r\n" + pick(new String[]{"", "Host: \r\n",
                    "Host: a\r\nHost: b\r\n", "Host: " + "h".repeat(3000) + "\r\n", "Host: a b\r\n"}) + "Connection: close\r\n\r\n"));
            case 4 -> new Hostile("header syntax", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n" + pick(new String[]{
                    "NoColon\r\n", "Bad Name: x\r\n", "X-A : y\r\n", " folded: line\r\n", "X-Fold: a\r\n continued\r\n", "X-Nul: a\u0000b\r\n",
                    "X-CR: a\rb\r\n", "\u0000: x\r\n", ": empty-name\r\n", "X-Bin: \u00ff\u00fe\r\n"}) + "Connection: close\r\n\r\n"));
            case 5 -> new Hostile("huge header", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nX-Huge: "
                    + "h".repeat(10_000 + random.nextInt(30_000)) + "\r\nConnection: close\r\n\r\n"));
            case 6 -> new Hostile("many headers", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\n"
                    + "X-Many: y\r\n".repeat(100 + random.nextInt(900)) + "Connection: close\r\n\r\n"));
            case 7 -> new Hostile("content-length", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + pick(new String[]{"Content-Length: -1\r\n", "Content-Length: abc\r\n", "Content-Length: 2\r\nContent-Length: 3\r\n",
                    "Content-Length: 99999999999999999999\r\n", "Content-Length: 1\r\n", "Content-Length: 0\r\n"})
                    + "Connection: close\r\n\r\n{\"a\": 1}"));
            case 8 -> new Hostile("chunked", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n" + pick(new String[]{"", "Content-Length: 4\r\n"}) + "Connection: close\r\n\r\n"
                    + pick(new String[]{"zz\r\n{}\r\n0\r\n\r\n", "2\r\n{}\r\n0\r\n\r\n", "ffffffffffff\r\n{}\r\n0\r\n\r\n",
                    "2;ext=1\r\n{}\r\n0\r\n\r\n", "1\r\n{\r\n0\r\n\r\n"})));
            case 9 -> new Hostile("target", ascii(route.method() + " " + pick(new String[]{"*", "http://evil.example/v1/sessions", "v1/sessions",
                    "//v1//sessions", "/v1/sessions/../../../etc/passwd", "/%zz", "/%", "/v1/%00", "/?", "/v1/sessions?&&&=&", "/#fragment",
                    "/v1/sessions;jsessionid=x", "/" + "a".repeat(9000), "/v1/sessions/" + "%41".repeat(3000)})
                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            case 10 -> new Hostile("raw bytes in target", concat(concat(ascii(route.method() + " /v1/"), randomBytes(1 + random.nextInt(20))),
                    " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
            case 11 -> new Hostile("http/1.0", ascii(route.method() + " " + path + " HTTP/1.0\r\n\r\n"));
            case 12 -> new Hostile("expect", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nExpect: " + pick(new String[]{
                    "100-continue", "200-ok", ""}) + "\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]"));
            default -> new Hostile("upgrade", ascii(route.method() + " " + path + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, close\r\n"
                    + "Upgrade: " + pick(new String[]{"websocket", "foo", "TLS/1.2"}) + "\r\nHTTP2-Settings: AAA\r\n\r\n"));
        };
    }

    private Hostile hostileParts() {
        ServiceApi.Route route = pick(api.routes());
        String method = random.nextInt(10) < 7 ? route.method() : pick(METHODS);
        // A DELETE with a known value would remove what it names for the rest of the run.
        boolean known = !method.equalsIgnoreCase("DELETE");
        String path = route.path(p -> known ? knownOrValue(p) : value());
        String target = path + query(route, known);
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextInt(3) == 0) {
            headers.put("Accept", pick(ACCEPTS));
        }
        if (random.nextInt(4) == 0) {
            headers.put(pick(new String[]{"Idempotency-Key", "X-Switchboard-Issuer", "Authorization", "Origin", "X-Forwarded-For",
                    "Cookie", "Range", "If-None-Match", "If-Match", "If-Modified-Since", "If-Unmodified-Since", "Last-Event-ID"}),
                    pick(new String[]{"", " ", "has spaces", "\u00e9t\u00e9", "x".repeat(300), "Bearer " + "e".repeat(500), "a.b.c",
                            "eyJhbGciOiJub25lIn0.e30.", "bytes=0-99999999999", "\"stale\"", "*", "W/\"weak\"", "\"unterminated",
                            "Thu, 01 Jan 1970 00:00:00 GMT", "http://localhost:1", "null", "-1", "0", "99999999999999999999",
                            "00000000-0000-0000-0000-000000000000", "%00", "../../etc"}));
        }
        String body = null;
        if (startsSomething(method, path)) {
            // Never a body that could be read: a request that starts a call must not succeed here.
            body = pick(new String[]{"{\"room\": ", "[[[[[[", "{", "}", "[]", "\"text\"", "42", "{\"room\": [}"});
            headers.put("Content-Type", random.nextBoolean() ? "application/json" : "text/plain");
        } else if (route.body() != ServiceApi.Body.NONE || random.nextInt(6) == 0) {
            body = body(route);
            headers.put("Content-Type", random.nextInt(4) == 0 ? pick(CONTENT_TYPES) : "application/json");
        }
        // A valid token unless a hostile Authorization header was picked: most requests must reach the resources.
        api.authorization().apply(body == null ? "" : body).forEach(headers::putIfAbsent);
        return new Hostile(WELL_FRAMED + method, Requests.of(method, target, headers, body));
    }

    /**
     * Whether the server reads the request as one to a route with side effects: by the path it sees, not the route the
     * request was made for (a blank room makes {@code POST /v1/simulated-calls/ } of another route's path, and the
     * server reads {@code POST /v1/simulated-calls/}).
     */
    private boolean startsSomething(String method, String path) {
        String seen = seenPath(path);
        return seen != null && api.routes().stream().anyMatch(r -> r.sideEffects() && r.method().equals(method)
                && seen.matches(r.path(p -> "[^/]+")));
    }

    /** The path as routing reads it: up to the first blank, dot segments resolved, no trailing slash; null if no URI. */
    private static String seenPath(String path) {
        String token = path.strip().split("\\s", 2)[0].replace("%2e", ".").replace("%2E", ".");
        try {
            String normalized = URI.create("http://x" + token).normalize().getPath();
            return normalized.length() > 1 && normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
        } catch (IllegalArgumentException e) {
            return null; // not a URI: refused before any route
        }
    }

    private String query(ServiceApi.Route route, boolean known) {
        int count = random.nextInt(4);
        List<String> names = new ArrayList<>(route.query());
        names.add("unknown");
        names.add(MARKER);
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String name = pick(names);
            query.append(i == 0 ? '?' : '&').append(name).append('=').append(known ? knownOrValue(name) : value());
        }
        return query.toString();
    }

    private String knownOrValue(String parameter) {
        List<String> values = known.getOrDefault(parameter, List.of());
        return !values.isEmpty() && random.nextBoolean() ? pick(values) : value();
    }

    /** A path or query value, already percent-encoded where it should be (and sometimes where it should not). */
    private String value() {
        return switch (random.nextInt(8)) {
            case 0 -> MARKER + Integer.toHexString(random.nextInt());
            case 1 -> URLEncoder.encode(MARKER + "-" + "z".repeat(random.nextInt(3000)), StandardCharsets.UTF_8);
            default -> pick(VALUES);
        };
    }

    private String body(ServiceApi.Route route) {
        return switch (random.nextInt(10)) {
            case 0 -> "{\"" + (route.fields().isEmpty() ? "event" : pick(route.fields())) + "\": ";
            case 1 -> "[".repeat(2000 + random.nextInt(3000)) + "]".repeat(10);
            case 2 -> "{\"" + (route.fields().isEmpty() ? "event" : pick(route.fields())) + "\": \"" + "x".repeat(100_000 + random.nextInt(100_000)) + "\"}";
            case 3 -> pick(new String[]{"", "null", "[]", "\"text\"", "42", "{", "}", "{\"a\":1}{\"b\":2}", "\u0000", "\ufeff{}"});
            case 4 -> "{" + "\"a\":".repeat(1) + "{".repeat(600) + "}".repeat(600) + "}";
            default -> object(route);
        };
    }

    /** A JSON object with the route's fields, each a hostile scalar, plus an unknown field now and then. */
    private String object(ServiceApi.Route route) {
        StringBuilder json = new StringBuilder("{");
        List<String> fields = new ArrayList<>(route.fields().isEmpty() ? List.of("event", "room", "id") : route.fields());
        fields.add(MARKER);
        boolean first = true;
        for (String field : fields) {
            if (random.nextInt(3) == 0) {
                continue;
            }
            json.append(first ? "" : ", ").append('"').append(field).append("\": ").append(pick(JSON_SCALARS));
            first = false;
        }
        return json.append('}').toString();
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private <T> T pick(T[] values) {
        return values[random.nextInt(values.length)];
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[] head, String tail) {
        return concat(head, ascii(tail));
    }

    private static byte[] concat(byte[] head, byte[] tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(head.length + tail.length);
        out.writeBytes(head);
        out.writeBytes(tail);
        return out.toByteArray();
    }
}
