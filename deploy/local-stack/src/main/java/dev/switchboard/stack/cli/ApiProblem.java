package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error answer as the services write it, RFC 9457 problem details ({@code application/problem+json}): title and
 * detail say what went wrong in words, the type says which problem it is, and a problem about a command also names the
 * command's status (REJECTED, EXPIRED, UNKNOWN_SESSION), room and id. An answer that is not a problem (a proxy's error
 * page) keeps its status and some of its text.
 */
record ApiProblem(int status, String type, String title, String detail, String commandStatus, String reason, String room,
                  String commandId) {
    private static final int MAX_SHOWN = 300;
    /** The gateway's problem types start with this (the service kit's ProblemType.URN_PREFIX). */
    private static final String TYPE_PREFIX = "urn:switchboard:problem:";
    /** The gateway's 503 for a command or dial Kafka did not acknowledge in time: it may still arrive, so it is sent again. */
    static final String PUBLISH_FAILED = TYPE_PREFIX + "publish-failed";
    /** "the Say command was rejected", "no worker took the Say command": the command's type, as the gateway's detail names it. */
    private static final Pattern COMMAND_TYPE = Pattern.compile("\\b([A-Z][A-Za-z]+) command\\b");

    static ApiProblem from(ApiClient.Answer answer) {
        JsonNode body = Json.parseOrNull(answer.body());
        if (body != null && body.isObject() && (body.hasNonNull("title") || body.hasNonNull("detail"))) {
            return new ApiProblem(body.path("status").asInt(answer.status()), Json.text(body, "type"), Json.text(body, "title"),
                    Json.text(body, "detail"), Json.text(body, "commandStatus"), Json.text(body, "reason"), Json.text(body, "room"),
                    Json.text(body, "commandId"));
        }
        String text = answer.body() == null ? "" : answer.body().strip();
        if (text.length() > MAX_SHOWN) {
            text = text.substring(0, MAX_SHOWN) + "...";
        }
        return new ApiProblem(answer.status(), null, null, text.isEmpty() ? null : text, null, null, null, null);
    }

    /**
     * Whether the answer is the gateway's 503 for a command (or dial) Kafka did not acknowledge in time, which may still
     * arrive and so is sent again under the same Idempotency-Key. Any other 503 (a *-not-configured one, shutting-down)
     * is not: sending it again would only get the same answer.
     */
    static boolean unacknowledged(ApiClient.Answer answer) {
        return answer.status() == 503 && PUBLISH_FAILED.equals(from(answer).type());
    }

    /**
     * "Missing scope: this request needs the scope calls:control, which the token does not grant"; only the detail when
     * it already starts with the title ("outbound calls are not configured: set ..." rather than the title twice).
     */
    String words(ApiClient.Service service) {
        if (title == null) {
            return "HTTP " + status + " from " + service.title + (detail == null ? "" : ": " + detail);
        }
        if (detail == null || detail.isBlank()) {
            return title;
        }
        return detail.toLowerCase(Locale.ROOT).startsWith(title.strip().toLowerCase(Locale.ROOT)) ? detail : title + ": " + detail;
    }

    /** The command's type as the detail names it (Say, EndSession, TransferCall), or null. */
    String commandType() {
        if (detail == null) {
            return null;
        }
        Matcher type = COMMAND_TYPE.matcher(detail);
        return type.find() ? type.group(1) : null;
    }
}
