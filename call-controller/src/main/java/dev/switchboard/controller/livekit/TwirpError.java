package dev.switchboard.controller.livekit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.ResponseBody;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer of LiveKit's server API. Twirp maps its error codes onto HTTP statuses (not_found 404, unavailable
 * 503...) and sends {@code {"code", "msg", "meta"}}; for SIP failures LiveKit puts the SIP response in {@code meta}
 * ({@code sip_status_code}, {@code sip_status}). A proxy in front of LiveKit may answer with anything, so every field
 * but the status may be absent.
 */
public record TwirpError(int httpStatus, String code, String msg, Map<String, String> meta) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public TwirpError {
        meta = Map.copyOf(meta);
    }

    /** The SIP status the callee, the trunk or the transfer target answered; null when LiveKit reported none. */
    public Integer sipStatusCode() {
        try {
            String value = meta.get("sip_status_code");
            return value == null ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The SIP reason phrase (or LiveKit's name for the status); null when LiveKit reported none. */
    public String sipStatus() {
        return meta.get("sip_status");
    }

    public boolean hasCode(String twirpCode) {
        return twirpCode.equals(code);
    }

    /** "HTTP 429 resource_exhausted: ..." for logs and dead-letter reasons. */
    public String describe() {
        return "HTTP " + httpStatus + (code == null ? "" : " " + code) + (msg == null ? "" : ": " + msg);
    }

    /** Reads an error body; never throws. */
    public static TwirpError read(int httpStatus, ResponseBody body) {
        if (body == null) {
            return new TwirpError(httpStatus, null, null, Map.of());
        }
        try (body) {
            return parse(httpStatus, body.string());
        } catch (IOException e) {
            return new TwirpError(httpStatus, null, null, Map.of());
        }
    }

    static TwirpError parse(int httpStatus, String text) {
        try {
            JsonNode json = JSON.readTree(text);
            if (json == null || !json.isObject()) {
                return notTwirp(httpStatus, text);
            }
            Map<String, String> meta = new LinkedHashMap<>();
            json.path("meta").properties().forEach(entry -> meta.put(entry.getKey(), entry.getValue().asText()));
            return new TwirpError(httpStatus, json.path("code").asText(null), json.path("msg").asText(null), meta);
        } catch (IOException notJson) {
            return notTwirp(httpStatus, text);
        }
    }

    /** A proxy in front of LiveKit may answer with HTML or plain text. */
    private static TwirpError notTwirp(int httpStatus, String text) {
        return new TwirpError(httpStatus, null, text.length() > 200 ? text.substring(0, 200) : text, Map.of());
    }
}
