package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An error answer as the services write it, RFC 9457 problem details ({@code application/problem+json}): title and
 * detail say what went wrong in words, and a problem about a command also names the command's status (REJECTED,
 * EXPIRED, UNKNOWN_SESSION). An answer that is not a problem (a proxy's error page) keeps its status and some of its text.
 */
record ApiProblem(int status, String title, String detail, String commandStatus, String reason) {
    private static final int MAX_SHOWN = 300;

    static ApiProblem from(ApiClient.Answer answer) {
        JsonNode body = Json.parseOrNull(answer.body());
        if (body != null && body.isObject() && (body.hasNonNull("title") || body.hasNonNull("detail"))) {
            return new ApiProblem(body.path("status").asInt(answer.status()), Json.text(body, "title"), Json.text(body, "detail"),
                    Json.text(body, "commandStatus"), Json.text(body, "reason"));
        }
        String text = answer.body() == null ? "" : answer.body().strip();
        if (text.length() > MAX_SHOWN) {
            text = text.substring(0, MAX_SHOWN) + "...";
        }
        return new ApiProblem(answer.status(), null, text.isEmpty() ? null : text, null, null);
    }

    /** "Missing scope: this request needs the scope calls:control, which the token does not grant". */
    String words(ApiClient.Service service) {
        String said = title == null ? "HTTP " + status + " from " + service.title
                : detail == null || detail.isBlank() ? title : title + ": " + detail;
        if (title == null && detail != null) {
            said += ": " + detail;
        }
        return said;
    }
}
