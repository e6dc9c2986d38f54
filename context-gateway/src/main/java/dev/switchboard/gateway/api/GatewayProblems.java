package dev.switchboard.gateway.api;

import dev.switchboard.kit.problem.ProblemType;

/** The problems only this API answers with; each has a stable type URI clients can switch on. */
final class GatewayProblems {
    static final ProblemType SESSION_NOT_FOUND = ProblemType.SESSION_NOT_FOUND;
    static final ProblemType NOT_CURRENT_SESSION = ProblemType.named("not-current-session", "Not the room's current session", 409);
    static final ProblemType SESSION_ENDED = ProblemType.named("session-ended", "Session ended", 409);
    static final ProblemType SESSION_ENDING = ProblemType.named("session-ending", "Session ending", 409);
    static final ProblemType IDEMPOTENCY_KEY_REUSED = ProblemType.named("idempotency-key-reused", "Idempotency-Key reused", 409);
    static final ProblemType COMMAND_REJECTED = ProblemType.named("command-rejected", "Command rejected", 409);
    static final ProblemType COMMAND_EXPIRED = ProblemType.named("command-expired", "Command expired", 504);
    static final ProblemType UNKNOWN_SESSION = ProblemType.named("unknown-session", "No worker runs the room", 404);
    static final ProblemType UNRECOGNIZED_RESULT = ProblemType.named("unrecognized-result", "Unrecognized command result", 502);
    static final ProblemType COMMAND_NOT_FOUND = ProblemType.named("command-not-found", "No such command", 404);
    static final ProblemType PUBLISH_FAILED = ProblemType.named("publish-failed", "Kafka unavailable", 503);
    static final ProblemType DIALING_NOT_CONFIGURED = ProblemType.named("dialing-not-configured", "Outbound calls are not configured", 503);
    static final ProblemType CATCHING_UP = ProblemType.named("catching-up", "Still reading the live sessions", 503);
    static final ProblemType TRANSFERS_NOT_CONFIGURED = ProblemType.named("transfers-not-configured", "Call transfers are not configured", 503);
    static final ProblemType ROOM_BUSY = ProblemType.named("room-busy", "The room already has a call", 409);
    static final ProblemType CALL_NOT_FOUND = ProblemType.named("call-not-found", "No such call", 404);
    static final ProblemType CALL_NOT_ANSWERED = ProblemType.named("call-not-answered", "The call has no agent session yet", 409);

    private GatewayProblems() {
    }
}
