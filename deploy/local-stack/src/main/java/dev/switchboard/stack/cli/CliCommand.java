package dev.switchboard.stack.cli;

import java.time.Duration;

/** One operator command as parsed from the command line, its options checked. */
sealed interface CliCommand {

    /** The live calls; with {@code all} the recently ended ones too. */
    record Calls(boolean all) implements CliCommand {
    }

    /** An InjectContext: {@code role} is system or user. */
    record Inject(String room, String text, boolean respond, String role, String label) implements CliCommand {
    }

    record Say(String room, String text) implements CliCommand {
    }

    /** Keypad tones the agent sends on the call's phone line. */
    record Dtmf(String room, String digits) implements CliCommand {
    }

    /** A hang-up: with {@code now} at once through the call controller, otherwise after the agent said {@code goodbye}. */
    record Hangup(String room, boolean now, String goodbye, String reason) implements CliCommand {
    }

    /**
     * An outbound call (POST /v1/calls): {@code from}, {@code trunk} (the request's trunkId), {@code room} and
     * {@code instructions} may be null; with {@code await} the request waits until the call is answered or has failed.
     */
    record Dial(String to, String from, String trunk, String room, String instructions, boolean await) implements CliCommand {
    }

    /** A cold transfer of a live call's phone caller; {@code announcement} may be null. */
    record Transfer(String room, String to, String announcement) implements CliCommand {
    }

    /** A stored transcript in one of the transcript service's formats: json, text, srt or vtt. */
    record Transcript(String room, String format) implements CliCommand {
    }

    /** Following a call's transcript; {@code reconnect}: how long a stream that broke off is opened again. */
    record Tail(String room, Duration reconnect) implements CliCommand {
    }

    /** A full-text search; {@code room} may be null. */
    record Search(String query, String room, int limit) implements CliCommand {
    }

    /** Help on one command, or on all of them when {@code verb} is null. */
    record Help(Verb verb) implements CliCommand {
    }
}
