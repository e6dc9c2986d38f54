package dev.switchboard.stack.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person reads: the services' JSON turned into tables and lines. Times are shown in the given zone, durations
 * against the given instant, so that the output is the same for the same answer (and testable).
 */
final class Render {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final Pattern MARK = Pattern.compile("<mark>(.*?)</mark>");
    static final String BOLD = "\u001b[1m";
    static final String PLAIN = "\u001b[0m";
    /** The most of a dial's failure detail a table shows. */
    private static final int MAX_FAILURE = 60;

    private final Instant now;
    private final ZoneId zone;
    /** Whether standard output is a terminal, where search matches are shown in bold. */
    private final boolean terminal;

    Render(Instant now, ZoneId zone, boolean terminal) {
        this.now = now;
        this.zone = zone;
        this.terminal = terminal;
    }

    /** GET /v1/sessions on the gateway: one row per call, a tenant column only when more than one tenant is listed. */
    String sessions(JsonNode list) {
        return sessions(list, null);
    }

    /**
     * As {@link #sessions(JsonNode)}, followed by the outbound calls of GET /v1/calls that have no session (ringing,
     * answered while the agent joins, failed, or ended before a session started): "DIALING", "ANSWERED",
     * "FAILED: busy (486)", "ENDED: CALLER_HANGUP"; a duration from the answer on, "-" for a call never answered.
     */
    String sessions(JsonNode list, JsonNode calls) {
        JsonNode sessions = list.path("sessions");
        List<JsonNode> dials = new ArrayList<>();
        if (calls != null) {
            calls.path("calls").forEach(call -> {
                if (Json.text(call, "sessionId") == null) {
                    dials.add(call);
                }
            });
        }
        if (sessions.isEmpty() && dials.isEmpty()) {
            return "no live calls\n";
        }
        Set<String> tenants = new TreeSet<>();
        sessions.forEach(s -> tenants.add(s.path("tenant").asText("")));
        dials.stream().map(call -> Json.text(call, "tenant")).filter(Objects::nonNull).forEach(tenants::add);
        boolean showTenant = tenants.size() > 1;
        List<String> header = new ArrayList<>(List.of("ROOM", "STATE", "DIRECTION", "NUMBER", "TRANSPORT", "AGENT", "STARTED", "DURATION"));
        if (showTenant) {
            header.add("TENANT");
        }
        Table table = new Table(header);
        for (JsonNode s : sessions) {
            Instant started = instant(s, "startedAt");
            Instant ended = instant(s, "endedAt");
            String direction = s.path("direction").asText("");
            // The other party: who called in, or whom the agent called.
            String number = Json.text(s, "OUTBOUND".equals(direction) ? "calleeNumber" : "callerNumber");
            List<String> row = new ArrayList<>(List.of(field(s, "room"), field(s, "state"), TerminalText.field(direction),
                    TerminalText.field(number), field(s, "transport"), field(s, "agentName"),
                    started == null ? "" : started(started),
                    started == null ? "" : duration(Duration.between(started, ended == null ? now : ended))));
            if (showTenant) {
                row.add(field(s, "tenant"));
            }
            table.row(row);
        }
        for (JsonNode call : dials) {
            Instant requested = instant(call, "requestedAt");
            Instant answered = instant(call, "answeredAt");
            Instant ended = instant(call, "endedAt");
            String state = call.path("state").asText("");
            String reason = call.hasNonNull("failure") ? failureInColumn(call.path("failure")) : Json.text(call, "endReason");
            // A call lasts from its answer: one that was never answered (ringing, failed) has no duration yet.
            List<String> row = new ArrayList<>(List.of(field(call, "room"),
                    TerminalText.field(reason == null || reason.equalsIgnoreCase(state) ? state : state + ": " + reason), "OUTBOUND",
                    field(call, "to"), "", "", requested == null ? "" : started(requested),
                    answered == null ? "-" : duration(Duration.between(answered, ended == null ? now : ended))));
            if (showTenant) {
                row.add(field(call, "tenant"));
            }
            table.row(row);
        }
        return table.toString();
    }

    /**
     * Why a dial failed: "busy (486)", "no answer", "trunk unavailable (503)"; for the catch-all reason FAILED the
     * detail says why (LiveKit unreachable), else nothing; null when it says nothing.
     */
    static String failure(JsonNode failure) {
        return failure(failure, Integer.MAX_VALUE);
    }

    /** The same, its words cut to fit the calls table's state column. */
    static String failureInColumn(JsonNode failure) {
        return failure(failure, MAX_FAILURE);
    }

    private static String failure(JsonNode failure, int longest) {
        String reason = Json.text(failure, "reason");
        String said = reason == null || reason.equals("FAILED") ? Json.text(failure, "detail")
                : reason.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        if (said != null && said.length() > longest) {
            said = said.substring(0, longest - 3) + "...";
        }
        String code = failure.hasNonNull("sipStatusCode") ? failure.path("sipStatusCode").asText() : null;
        return code == null ? said : said == null ? "SIP " + code : said + " (" + code + ")";
    }

    /** An outbound call as POST /v1/calls answered: "DIALING  call to +15551234567 in room call-1 (command c-1)". */
    String call(JsonNode call) {
        String failure = Json.text(call.path("failure"), "reason");
        String detail = Json.text(call.path("failure"), "detail");
        if ("FAILED".equals(failure) && detail != null) {
            failure = null; // the catch-all reason is the state again: the detail alone says why
        }
        String why = failure == null ? detail : detail == null ? failure : failure + " (" + detail + ")";
        return TerminalText.field(call.path("state").asText("DIALING")) + "  call to " + field(call, "to") + " in room " + field(call, "room")
                + (why == null ? "" : ": " + TerminalText.field(why))
                + " (command " + field(call, "commandId") + ")\n";
    }

    /**
     * A command the gateway answered with its view (APPLIED, or what polling found): "APPLIED  Say for room r (command id)",
     * "REJECTED  Say for room r: the session is ending (command id)".
     */
    String outcome(JsonNode command) {
        return outcome(command.path("status").asText("PENDING"), command.path("type").asText("command"), Json.text(command, "room"),
                Json.text(command, "reason"), Json.text(command, "commandId"));
    }

    /**
     * A command the gateway answered with a problem naming its status, in the same words as {@link #outcome(JsonNode)}:
     * "REJECTED  EndSession for room r: the session is ending (command id)". The type is the one the detail names; when
     * it names none and gives no reason, the detail is the reason.
     */
    String outcome(ApiProblem problem) {
        String type = problem.commandType();
        String reason = problem.reason() != null || type != null ? problem.reason()
                : problem.detail() != null ? problem.detail() : problem.title();
        return outcome(problem.commandStatus(), type == null ? "command" : type, problem.room(), reason, problem.commandId());
    }

    private static String outcome(String status, String type, String room, String reason, String commandId) {
        return TerminalText.field(status) + "  " + TerminalText.field(type)
                + (room == null ? "" : " for room " + TerminalText.field(room))
                + (reason == null ? "" : ": " + TerminalText.field(reason))
                + (commandId == null ? "" : " (command " + TerminalText.field(commandId) + ")") + "\n";
    }

    /** A transcript line as the text transcript writes it: "[01:02.3] Caller: text". */
    static String line(JsonNode segment) {
        return "[" + offset(segment.path("startMs").asLong(0)) + "] " + speaker(segment) + ": " + field(segment, "text")
                + (segment.path("interrupted").asBoolean(false) ? " [interrupted]" : "");
    }

    /** How a followed call ended: the stream's "end" event. */
    String ended(JsonNode end) {
        String reason = Json.text(end, "endReason");
        Instant at = instant(end, "endedAt");
        return "call ended" + (reason == null ? "" : ": " + TerminalText.field(reason)) + (at == null ? "" : " at " + TIME.format(at.atZone(zone)));
    }

    /** GET /v1/search: one line per match, newest first, with the call's start and room. */
    String searchResults(JsonNode page, String query) {
        JsonNode results = page.path("results");
        if (results.isEmpty()) {
            return "no transcript line matches " + query + "\n";
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode hit : results) {
            JsonNode segment = hit.path("segment");
            JsonNode session = hit.path("session");
            Instant started = instant(session, "startedAt");
            String text = terminal && hit.hasNonNull("highlight") ? highlighted(hit.path("highlight").asText()) : field(segment, "text");
            out.append(started == null ? "" : DAY_AND_TIME.format(started.atZone(zone)) + "  ")
                    .append(field(session, "room")).append("  [")
                    .append(offset(segment.path("startMs").asLong(0))).append("] ")
                    .append(speaker(segment)).append(": ").append(text).append('\n');
        }
        if (page.hasNonNull("nextCursor")) {
            out.append("(more lines match: a larger --limit shows more, up to the service's maximum (200 unless configured);"
                    + " more words or --room narrow the search)\n");
        }
        return out.toString();
    }

    /**
     * The service's HTML-safe highlight with its marked words in bold for a terminal. The words are made safe before the
     * bold is added ({@link TerminalText#field}), so the only bold sequences in the result are the CLI's own.
     */
    static String highlighted(String html) {
        String line = TerminalText.field(html);
        Matcher marks = MARK.matcher(line);
        StringBuilder out = new StringBuilder();
        int from = 0;
        while (marks.find()) {
            out.append(unescaped(line.substring(from, marks.start()))).append(BOLD).append(unescaped(marks.group(1))).append(PLAIN);
            from = marks.end();
        }
        return out.append(unescaped(line.substring(from))).toString();
    }

    private static String unescaped(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    }

    /** A member's text as one safe line ({@link TerminalText#field}), empty when absent. */
    private static String field(JsonNode node, String member) {
        return TerminalText.field(node.path(member).asText(""));
    }

    /** Who said a line: the service's label, or its role when there is none. */
    private static String speaker(JsonNode segment) {
        return TerminalText.field(segment.path("speaker").asText(segment.path("role").asText("?")));
    }

    /** [mm:ss.t], or [h:mm:ss.t] from the first hour on, as the transcript service's text format writes it. */
    static String offset(long millis) {
        long ms = Math.max(0, millis);
        long hours = ms / 3_600_000;
        String minutesAndSeconds = String.format("%02d:%02d.%d", (ms / 60_000) % 60, (ms / 1000) % 60, (ms % 1000) / 100);
        return hours > 0 ? hours + ":" + minutesAndSeconds : minutesAndSeconds;
    }

    /** 45s, 2m05s, 1h02m. */
    static String duration(Duration duration) {
        long seconds = Math.max(0, duration.toSeconds());
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** The time of day for a call of today, else the date too. */
    private String started(Instant at) {
        ZonedDateTime local = at.atZone(zone);
        return local.toLocalDate().equals(now.atZone(zone).toLocalDate()) ? TIME.format(local) : DAY_AND_TIME.format(local);
    }

    private static Instant instant(JsonNode node, String member) {
        String text = Json.text(node, member);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
