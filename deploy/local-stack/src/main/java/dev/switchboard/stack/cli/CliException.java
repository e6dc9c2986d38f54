package dev.switchboard.stack.cli;

/**
 * A failure the CLI reports in words on standard error and answers with an exit code: {@link #API_ERROR} when the
 * stack answered with an error, {@link #USAGE} for a wrong command line or setting, {@link #UNREACHABLE} when the
 * stack could not be asked at all. Scripts tell the three apart by the code alone.
 */
final class CliException extends RuntimeException {
    static final int OK = 0;
    static final int API_ERROR = 1;
    static final int USAGE = 2;
    static final int UNREACHABLE = 3;

    private final int exitCode;

    CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    static CliException unreachable(String message) {
        return new CliException(UNREACHABLE, message);
    }

    int exitCode() {
        return exitCode;
    }
}
