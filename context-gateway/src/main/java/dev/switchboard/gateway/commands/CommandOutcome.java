package dev.switchboard.gateway.commands;

import dev.switchboard.events.CommandStatus;

/** What became of a command, once decided. */
public enum CommandOutcome {
    APPLIED, REJECTED, EXPIRED, UNKNOWN_SESSION,
    /** A status symbol a newer writer added that this gateway does not know yet (read as UNKNOWN). */
    UNRECOGNIZED;

    public static CommandOutcome of(CommandStatus status) {
        return switch (status) {
            case APPLIED -> APPLIED;
            case REJECTED -> REJECTED;
            case EXPIRED -> EXPIRED;
            case UNKNOWN_SESSION -> UNKNOWN_SESSION;
            case UNKNOWN -> UNRECOGNIZED;
        };
    }

    /** The status a CommandResult carries for this outcome (UNKNOWN for one this gateway did not recognise). */
    public CommandStatus status() {
        return switch (this) {
            case APPLIED -> CommandStatus.APPLIED;
            case REJECTED -> CommandStatus.REJECTED;
            case EXPIRED -> CommandStatus.EXPIRED;
            case UNKNOWN_SESSION -> CommandStatus.UNKNOWN_SESSION;
            case UNRECOGNIZED -> CommandStatus.UNKNOWN;
        };
    }
}
