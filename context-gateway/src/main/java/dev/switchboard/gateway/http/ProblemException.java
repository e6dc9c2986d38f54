package dev.switchboard.gateway.http;

/** Thrown while handling a request to answer with a problem of the given type. */
public final class ProblemException extends RuntimeException {
    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail);
        this.type = type;
    }

    public static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    public ProblemType type() {
        return type;
    }
}
