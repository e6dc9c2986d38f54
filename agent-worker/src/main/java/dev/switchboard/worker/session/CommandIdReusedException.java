package dev.switchboard.worker.session;

/**
 * A command whose {@code commandId} a session already saw on another command. Neither applied nor answered: a
 * {@code CommandResult} for that id already stands for the first command (the first result for a commandId counts), so a
 * second one would contradict it or be ignored. The record is the sender's mistake, and the reader dead-letters it.
 */
public final class CommandIdReusedException extends RuntimeException {
    CommandIdReusedException(String commandId, String firstType) {
        super("commandId " + commandId + " was already used for another command (" + firstType
                + "); use a new commandId for a new command");
    }
}
