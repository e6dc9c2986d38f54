package dev.switchboard.worker.api;

import dev.switchboard.kit.problem.ProblemType;

/**
 * The worker's problem types: the same names the context gateway gives the same situations (room-busy, session-ending,
 * session-ended), so a client handles a refusal the same way whichever API it called.
 */
public final class WorkerProblems {
    public static final ProblemType ROOM_BUSY = ProblemType.named("room-busy", "The room already has a call", 409);
    public static final ProblemType SESSION_ENDING = ProblemType.named("session-ending", "Session ending", 409);
    public static final ProblemType SESSION_ENDED = ProblemType.named("session-ended", "Session ended", 409);
    public static final ProblemType NO_KEYPAD = ProblemType.named("no-keypad", "The caller has no phone keypad", 409);
    public static final ProblemType TURN_INTERRUPTED = ProblemType.named("turn-interrupted", "Turn interrupted", 409);
    /** Kafka did not acknowledge what had to be published first (a session's start): nothing was started. */
    public static final ProblemType PUBLISH_FAILED = ProblemType.named("publish-failed", "Kafka unavailable", 503);
    public static final ProblemType LLM_FAILED = ProblemType.named("llm-failed", "The agent's LLM failed", 502);

    private WorkerProblems() {
    }
}
