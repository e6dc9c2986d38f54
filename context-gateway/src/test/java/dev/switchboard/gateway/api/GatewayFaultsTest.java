package dev.switchboard.gateway.api;

import dev.switchboard.gateway.commands.CommandRefused;
import dev.switchboard.kit.problem.Problem;
import dev.switchboard.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayFaultsTest {
    private final GatewayFaults faults = new GatewayFaults();

    @Test
    void aCommandKafkaDidNotAcknowledgeIsA503NamingTheCommandSoItCanBeFollowed() {
        var refused = new CommandRefused(CommandRefused.Refusal.PUBLISH_FAILED, "room-1", "c-42", "it may still reach the call",
                new TimeoutException("no acknowledgement within 10000 ms"));

        ProblemException answer = faults.translate(refused).orElseThrow();
        Problem problem = answer.toProblem("/v1/sessions/room-1/say");

        assertThat(problem.status()).isEqualTo(503);
        assertThat(answer.toResponse("/v1/sessions/room-1/say").getHeaderString("Retry-After")).as("a 503 says when to try again")
                .isEqualTo("5");
        assertThat(problem.type()).endsWith("publish-failed");
        assertThat(problem.extensions()).containsEntry("room", "room-1").containsEntry("commandId", "c-42");
    }

    @Test
    void aRefusalOfNoParticularCommandNamesOnlyTheRoom() {
        ProblemException answer = faults.translate(new CommandRefused(CommandRefused.Refusal.NO_SESSION, "room-2", "no session"))
                .orElseThrow();
        Problem problem = answer.toProblem("/v1/sessions/room-2/say");

        assertThat(problem.status()).isEqualTo(404);
        assertThat(answer.toResponse("/v1/sessions/room-2/say").getHeaderString("Retry-After")).isNull();
        assertThat(problem.extensions()).containsOnlyKeys("room");
    }

    @Test
    void aRoomNotKnownBeforeTheGatewayReadEverySessionIsA503ToTryAgainNotA404() {
        ProblemException answer = faults.translate(new CommandRefused(CommandRefused.Refusal.CATCHING_UP, "room-3", "not read yet"))
                .orElseThrow();

        assertThat(answer.toProblem("/v1/sessions/room-3/say").status()).isEqualTo(503);
        assertThat(answer.toProblem("/v1/sessions/room-3/say").type()).endsWith("catching-up");
        assertThat(answer.toResponse("/v1/sessions/room-3/say").getHeaderString("Retry-After")).isEqualTo("2");
    }
}
