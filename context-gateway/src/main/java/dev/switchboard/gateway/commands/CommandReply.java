package dev.switchboard.gateway.commands;

/** How a command request ends: with the command's decision, or still pending when the wait ran out. */
public sealed interface CommandReply {
    TrackedCommand command();

    record Decided(TrackedCommand command, Decision decision) implements CommandReply {
    }

    record Pending(TrackedCommand command) implements CommandReply {
    }
}
