package dev.switchboard.testing.livekit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A Twirp error as LiveKit's server API sends it: HTTP status by Twirp's table, JSON body
 * {@code {"code": ..., "msg": ..., "meta": {...}}} whatever the request's format. For SIP failures LiveKit puts
 * {@code sip_status_code} and {@code sip_status} in {@code meta} (protocol's {@code SIPStatus.TwirpErrorMeta}).
 */
public record TwirpError(int httpStatus, String code, String msg, Map<String, String> meta) {

    public TwirpError {
        meta = Map.copyOf(meta);
    }

    public static TwirpError of(String code, String msg) {
        return new TwirpError(httpStatus(code), code, msg, Map.of());
    }

    /** A failure answered with a plain HTTP status (a scripted fault), with the Twirp code that status stands for. */
    public static TwirpError ofStatus(int status, String msg) {
        return new TwirpError(status, codeFor(status), msg, Map.of());
    }

    /**
     * A final SIP response LiveKit's SIP bridge got (or a REFER refusal): the gRPC code LiveKit maps the SIP status
     * to, the message psrpc and Twirp build from it, and the SIP status in {@code meta}.
     */
    public static TwirpError sip(int sipStatus, String reason, String what) {
        String code = SipStatuses.twirpCode(sipStatus);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("sip_status_code", Integer.toString(sipStatus));
        meta.put("sip_status", reason == null || reason.isBlank() ? SipStatuses.protoName(sipStatus) : reason);
        // LiveKit's server wraps the SIP error as twirp "unknown" first, then re-codes it; the message keeps the prefix.
        String msg = "twirp error unknown: " + what + "sip status: " + sipStatus + ": " + meta.get("sip_status");
        return new TwirpError(httpStatus(code), code, msg, meta);
    }

    public Integer sipStatusCode() {
        String value = meta.get("sip_status_code");
        return value == null ? null : Integer.valueOf(value);
    }

    /** Twirp's mapping of error codes to HTTP statuses. */
    public static int httpStatus(String code) {
        return switch (code) {
            case "canceled", "deadline_exceeded" -> 408;
            case "invalid_argument", "malformed", "out_of_range" -> 400;
            case "not_found", "bad_route" -> 404;
            case "already_exists", "aborted" -> 409;
            case "permission_denied" -> 403;
            case "unauthenticated" -> 401;
            case "resource_exhausted" -> 429;
            case "failed_precondition" -> 412;
            case "unimplemented" -> 501;
            case "unavailable" -> 503;
            default -> 500; // unknown, internal, dataloss
        };
    }

    /** The Twirp code a plain HTTP status stands for (for scripted failures given as a status). */
    public static String codeFor(int status) {
        return switch (status) {
            case 400 -> "invalid_argument";
            case 401 -> "unauthenticated";
            case 403 -> "permission_denied";
            case 404 -> "not_found";
            case 408 -> "deadline_exceeded";
            case 409 -> "aborted";
            case 412 -> "failed_precondition";
            case 429 -> "resource_exhausted";
            case 501 -> "unimplemented";
            case 503 -> "unavailable";
            default -> status >= 500 ? "internal" : "unknown";
        };
    }

    /** The body Twirp sends. */
    public String toJson() {
        StringBuilder json = new StringBuilder("{\"code\":\"").append(code).append("\",\"msg\":\"").append(escape(msg)).append('"');
        if (!meta.isEmpty()) {
            json.append(",\"meta\":{");
            boolean first = true;
            for (var entry : new java.util.TreeMap<>(meta).entrySet()) {
                json.append(first ? "" : ",").append('"').append(escape(entry.getKey())).append("\":\"").append(escape(entry.getValue())).append('"');
                first = false;
            }
            json.append('}');
        }
        return json.append('}').toString();
    }

    private static String escape(String text) {
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
}
