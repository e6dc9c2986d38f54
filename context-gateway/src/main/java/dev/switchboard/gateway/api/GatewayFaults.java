package dev.switchboard.gateway.api;

import dev.switchboard.gateway.commands.CommandRefused;
import dev.switchboard.kit.problem.FaultTranslator;
import dev.switchboard.kit.problem.ProblemException;
import dev.switchboard.kit.problem.ProblemType;
import jakarta.inject.Singleton;

import java.util.Optional;

/** A command the gateway would not (or could not) publish, as the problem the client gets. */
@Singleton
public class GatewayFaults implements FaultTranslator {
    /**
     * When to send a command again that Kafka did not acknowledge in time (publish-failed): the sender already waited
     * the whole acknowledgement timeout (10 s), and a broker restart or leader election is over within seconds, so a few
     * seconds more is enough; longer would only delay a command a call is waiting for. Sending it again with the same
     * Idempotency-Key cannot apply it twice.
     */
    static final String PUBLISH_FAILED_RETRY_AFTER_SECONDS = "5";
    /** A gateway catches up with the session events within seconds of starting. */
    static final String CATCHING_UP_RETRY_AFTER_SECONDS = "2";

    @Override
    public Optional<ProblemException> translate(Throwable failure) {
        if (!(failure instanceof CommandRefused refused)) {
            return Optional.empty();
        }
        ProblemType type = switch (refused.refusal()) {
            case NO_SESSION -> GatewayProblems.SESSION_NOT_FOUND;
            case CATCHING_UP -> GatewayProblems.CATCHING_UP;
            case NOT_CURRENT_SESSION -> GatewayProblems.NOT_CURRENT_SESSION;
            case SESSION_ENDED -> GatewayProblems.SESSION_ENDED;
            case SESSION_ENDING -> GatewayProblems.SESSION_ENDING;
            case KEY_REUSED -> GatewayProblems.IDEMPOTENCY_KEY_REUSED;
            case PUBLISH_FAILED -> GatewayProblems.PUBLISH_FAILED;
            case DIALING_NOT_CONFIGURED -> GatewayProblems.DIALING_NOT_CONFIGURED;
            case TRANSFERS_NOT_CONFIGURED -> GatewayProblems.TRANSFERS_NOT_CONFIGURED;
            case ROOM_BUSY -> GatewayProblems.ROOM_BUSY;
            case CALL_NOT_ANSWERED -> GatewayProblems.CALL_NOT_ANSWERED;
        };
        ProblemException problem = new ProblemException(type, refused.getMessage()).with("room", refused.room())
                .with("commandId", refused.commandId());
        if (refused.refusal() == CommandRefused.Refusal.PUBLISH_FAILED) {
            problem.header("Retry-After", PUBLISH_FAILED_RETRY_AFTER_SECONDS);
        } else if (refused.refusal() == CommandRefused.Refusal.CATCHING_UP) {
            problem.header("Retry-After", CATCHING_UP_RETRY_AFTER_SECONDS);
        }
        return Optional.of(problem);
    }
}
