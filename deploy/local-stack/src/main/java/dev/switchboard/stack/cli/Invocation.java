package dev.switchboard.stack.cli;

/**
 * A parsed command line: the command, whether to print the API's JSON as it is, and the token given with
 * {@code --token} (null: the environment's or the local stack's).
 */
record Invocation(CliCommand command, boolean json, String token) {
}
