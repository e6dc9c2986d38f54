package dev.switchboard.gateway.api;

import dev.switchboard.gateway.commands.CommandReply;
import dev.switchboard.gateway.commands.Decision;
import dev.switchboard.gateway.commands.TrackedCommand;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemType;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;

/**
 * How a command's outcome becomes an HTTP answer: 200 with the command when applied, 202 while pending, and a
 * problem for the rest: 409 rejected, 504 expired, 404 when no worker runs the room.
 */
final class CommandResponses {
    private CommandResponses() {
    }

    static Response of(CommandReply reply, String instance) {
        TrackedCommand command = reply.command();
        return switch (reply) {
            case CommandReply.Pending pending -> Response.accepted(GatewayViews.CommandView.of(command))
                    .type(MediaType.APPLICATION_JSON)
                    .location(URI.create(GatewayViews.CommandView.statusUrl(command.commandId())))
                    .build();
            case CommandReply.Decided decided -> decided(command, decided.decision(), instance);
        };
    }

    private static Response decided(TrackedCommand command, Decision decision, String instance) {
        String because = decision.reason() == null ? "" : ": " + decision.reason();
        ProblemType type;
        String detail;
        switch (decision.outcome()) {
            case APPLIED -> {
                return Response.ok(GatewayViews.CommandView.of(command)).type(MediaType.APPLICATION_JSON).build();
            }
            case REJECTED -> {
                type = GatewayProblems.COMMAND_REJECTED;
                detail = "the " + command.type() + " command was rejected" + because;
            }
            case EXPIRED -> {
                type = GatewayProblems.COMMAND_EXPIRED;
                detail = "the " + command.type() + " command expired before it was applied" + because;
            }
            case UNKNOWN_SESSION -> {
                type = GatewayProblems.UNKNOWN_SESSION;
                detail = "no worker took the " + command.type() + " command for room \"" + command.room() + "\"" + because;
            }
            case UNRECOGNIZED -> {
                type = GatewayProblems.UNRECOGNIZED_RESULT;
                detail = "the worker answered the " + command.type() + " command with a status this gateway does not know" + because;
            }
            default -> throw new IllegalStateException("unexpected outcome " + decision.outcome());
        }
        return Problem.of(type, detail, instance)
                .with("room", command.room())
                .with("commandId", command.commandId())
                .with("commandStatus", decision.outcome().name())
                .with("reason", decision.reason())
                .toResponse();
    }
}
