package dev.switchboard.stack.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The operator commands, with what each takes and its help text. Parsing ({@link Arguments}) and help
 * ({@code ./switchboard <command> --help}) both read this table, so the two cannot disagree.
 */
enum Verb {
    CALLS("calls", "[--all]", "list the live calls (the gateway's sessions) and the outbound calls that have no session yet",
            List.of(), null, Set.of("--all"), Set.of(), """
              --all           also the calls that ended recently and the dials that failed or ended without a session
                              (the gateway remembers them for a day)
            An outbound call has no session while it rings and while the agent joins once it is answered (a person is
            on the line): those are listed as DIALING and ANSWERED. Reads GET /v1/sessions and GET /v1/calls on the
            context gateway (scope calls:read); --json prints both as one document, {"sessions": [...], "calls": [...]}:
            the sessions as GET /v1/sessions answered, and the outbound calls that have no session."""),
    INJECT("inject", "ROOM TEXT [--respond] [--role system|user] [--label L]", "add a message to a live call's LLM context",
            List.of("ROOM"), "TEXT", Set.of("--respond"), Set.of("--role", "--label"), """
              --respond       make the agent answer now instead of waiting for the caller
              --role R        system (default) or user: how the model sees the message
              --label L       where the message came from (crm, supervisor), stored with the line (the JSON
                              transcript's label; the line itself names the token's sender)
            Prints APPLIED once the worker running the call has added it; REJECTED or EXPIRED (exit 1) when not.
            POST /v1/sessions/{room}/context on the context gateway (scope calls:control)."""),
    SAY("say", "ROOM TEXT", "make the agent say a text now",
            List.of("ROOM"), "TEXT", Set.of(), Set.of(), """
            Prints APPLIED once the agent has taken the line; REJECTED or EXPIRED (exit 1) when not.
            POST /v1/sessions/{room}/say on the context gateway (scope calls:control)."""),
    DTMF("dtmf", "ROOM DIGITS", "press keys on a phone call's keypad (the agent sends DTMF tones)",
            List.of("ROOM"), "DIGITS", Set.of(), Set.of(), """
            DIGITS: 0-9, *, #, A-D; w waits half a second (e.g. 1w2#). Prints APPLIED once the last tone went out;
            REJECTED (exit 1) when the caller is not on a phone line. POST /v1/sessions/{room}/dtmf on the context
            gateway (scope calls:control)."""),
    HANGUP("hangup", "ROOM [--now] [--goodbye TEXT] [--reason TEXT]", "end a live call",
            List.of("ROOM"), null, Set.of("--now"), Set.of("--goodbye", "--reason"), """
              --goodbye TEXT  what the agent says before it hangs up (default: "%s")
              --now           hang up at once through the call controller, without a goodbye
              --reason TEXT   why the call is ended, kept with the hang-up (default: "%s")
            POST /v1/sessions/{room}/hangup on the context gateway (scope calls:control).""".formatted(
                    Defaults.GOODBYE, Defaults.HANGUP_REASON)),
    DIAL("dial", "TO [--from NUMBER] [--trunk ST_...] [--room ROOM] [--instructions TEXT] [--wait]", "place an outbound phone call with an agent",
            List.of("TO"), null, Set.of("--wait"), Set.of("--from", "--trunk", "--room", "--instructions"), """
              TO              an E.164 number (+15551234567, also tel:+15551234567) or a SIP user (sip:alice)
              --from NUMBER   the caller id, E.164 (default: the gateway's SWITCHBOARD_SIP_FROM_NUMBER, else the trunk's)
              --trunk ST_...  the LiveKit outbound SIP trunk to call through (the request's trunkId; default: the
                              gateway's SWITCHBOARD_SIP_OUTBOUND_TRUNK)
              --room ROOM     the room to call into (default: a new one, call-<uuid>)
              --instructions TEXT  what the agent is told for this call
              --wait          wait until the call is answered or has failed (up to %s), not only until it is dialled
            Prints DIALING (and the room) once the dial is sent; with --wait ANSWERED, or FAILED with the reason (exit 1).
            POST /v1/calls on the context gateway (scope calls:dial); ./switchboard calls lists it while it rings.""".formatted(
                    Operations.DIAL_WAIT)),
    TRANSFER("transfer", "ROOM TO [--announcement TEXT]", "transfer a live phone call's caller to another number or SIP address",
            List.of("ROOM", "TO"), null, Set.of(), Set.of("--announcement"), """
              TO              tel:+E.164 (a bare +15551234567 is taken as tel:) or a sip: URI
              --announcement TEXT  what the agent says before it transfers
            A cold transfer: prints APPLIED once the target took the call (the session then ends, reason TRANSFERRED);
            REJECTED (exit 1) with the SIP status when the target refused, and the agent carries on with the caller.
            POST /v1/sessions/{room}/transfer on the context gateway (scope calls:dial)."""),
    TRANSCRIPT("transcript", "ROOM [--format " + String.join("|", Defaults.TRANSCRIPT_FORMATS) + "]", "print a call's stored transcript",
            List.of("ROOM"), null, Set.of(), Set.of("--format"), """
              --format F      text (default), srt (SubRip), vtt (WebVTT) or json (the service's JSON, as --json prints it)
            The room's latest call, live or ended. GET /v1/sessions/{room}/transcript on the transcript service
            (scope transcripts:read)."""),
    TAIL("tail", "ROOM [--reconnect SECONDS]", "follow a call's transcript live until the call ends (Ctrl-C stops)",
            List.of("ROOM"), null, Set.of(), Set.of("--reconnect"), """
              --reconnect S   how long to keep reopening a stream that broke off before the call ended (a transcript
                              service restarting, or stopping so another instance takes over), 0 to 3600 (default %d);
                              the lines said meanwhile come with the reopened stream; then exit 3
            Prints the lines said so far, then each final line as it is said, and how the call ended (at once, for a call
            that had already ended). An outbound call that still rings has no session yet: tail says it waits for the call
            to be answered (GET /v1/calls/{room} on the gateway, every 2 s) and follows it once its agent started the
            session, or reports why the dial failed (exit 1). With --json one JSON object per event
            ({"event": "segment" | "replayed" | "end" | "deleted", "id": ..., "data": {...}}); a transcript deleted while it
            is followed ends the command (exit 1). Without --token or SWITCHBOARD_TOKEN
            it signs its own token (lasting SWITCHBOARD_CLI_TOKEN_TTL, default %dm) and renews it when the stream says it
            expired; a token you gave cannot be renewed, so the command ends (exit 1) when it expires.
            GET /v1/sessions/{room}/transcript/stream (Server-Sent Events) on the transcript service
            (scope transcripts:read).""".formatted(Defaults.TAIL_RECONNECT_SECONDS, Tokens.LIFETIME.toMinutes())),
    SEARCH("search", "WORDS... [--room ROOM] [--limit N]", "search every stored transcript",
            List.of(), "WORDS", Set.of(), Set.of("--room", "--limit"), """
              --room ROOM     only this room's calls
              --limit N       at most N lines, 1 to 200 (default 20)
            Web search syntax: all words must match, "a phrase", or, -excluded; stemmed ('refunds' finds 'refund').
            Newest first. GET /v1/search on the transcript service (scope transcripts:read).""");

    /** Options every command takes. */
    static final Set<String> COMMON_FLAGS = Set.of("--json", "--help");
    static final Set<String> COMMON_VALUED = Set.of("--token");
    static final String COMMON_HELP = """
              --json          print the API's JSON answer as it is (one document; for tail one line per event)
              --token T       the bearer token to send (default: SWITCHBOARD_TOKEN, else one signed with the local
                              stack's key in its state directory's auth/ (.switchboard/auth unless
                              SWITCHBOARD_STATE_DIR moves it), as ./switchboard token does)
            The services are found on the local stack's ports (SWITCHBOARD_GATEWAY_PORT, SWITCHBOARD_TRANSCRIPTS_PORT)
            unless SWITCHBOARD_GATEWAY_URL or SWITCHBOARD_TRANSCRIPTS_URL name them.
            Exit codes: 0 done, 1 the API answered with an error (unknown room, missing scope, REJECTED, EXPIRED),
            2 wrong usage, 3 the stack cannot be reached.""";

    final String word;
    final String synopsis;
    final String summary;
    /** The positional arguments that must be there, in order. */
    final List<String> positionals;
    /** The name of the last positional argument when it takes the rest of the line (joined by spaces), else null. */
    final String rest;
    final Set<String> flags;
    final Set<String> valued;
    final String details;

    Verb(String word, String synopsis, String summary, List<String> positionals, String rest, Set<String> flags,
         Set<String> valued, String details) {
        this.word = word;
        this.synopsis = synopsis;
        this.summary = summary;
        this.positionals = positionals;
        this.rest = rest;
        this.flags = flags;
        this.valued = valued;
        this.details = details;
    }

    static Optional<Verb> named(String word) {
        return Arrays.stream(values()).filter(v -> v.word.equals(word)).findFirst();
    }

    /** "usage: ./switchboard inject ROOM TEXT [--respond] ... [--json] [--token T]". */
    String usageLine() {
        return "usage: ./switchboard " + word + " " + synopsis + " [--json] [--token T]";
    }

    /** What {@code ./switchboard <command> --help} prints. */
    String help() {
        return usageLine() + "\n" + capitalized(summary) + ".\n\n" + details + "\n\nEvery command takes:\n" + COMMON_HELP + "\n";
    }

    /** Every command on one line each, for {@code ./switchboard help}. */
    static String overview() {
        StringBuilder out = new StringBuilder("Operator commands (against the running stack's HTTP APIs):\n");
        for (Verb verb : values()) {
            out.append(String.format("  %-11s %s%n", verb.word, verb.summary));
        }
        out.append("Each takes --json and --token T; ./switchboard <command> --help says more.\n");
        return out.toString();
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Defaults the help text names. */
    static final class Defaults {
        static final String GOODBYE = "Thank you for calling. Goodbye!";
        static final String HANGUP_REASON = "ended by an operator";
        static final int SEARCH_LIMIT = 20;
        /** Long enough for a transcript service the stack (or Kubernetes) restarts to answer again. */
        static final int TAIL_RECONNECT_SECONDS = 60;
        static final int TAIL_MAX_RECONNECT_SECONDS = 3600;
        /**
         * The transcript service's largest page (switchboard.transcripts.api.max-page-size as shipped): checked here so
         * that a larger --limit is wrong usage (exit 2), as 0 is, rather than an API error (exit 1).
         */
        static final int SEARCH_MAX_LIMIT = 200;
        /** What transcript --format takes (the transcript service's formats), the default first; the usage line lists them. */
        static final List<String> TRANSCRIPT_FORMATS = List.of("text", "srt", "vtt", "json");

        private Defaults() {
        }
    }
}
