package dev.switchboard.transcripts.api;

import dev.switchboard.kit.problem.ProblemException;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Only an outage is 503; a value the database refuses is the request's mistake; the rest is this service's bug. */
class DatabaseFaultsTest {
    private final DatabaseFaults faults = new DatabaseFaults();

    @Test
    void anOutageIs503() {
        for (String state : new String[]{"08006", "53300", "57P01", "40001", null}) {
            assertThat(status(new SQLException("down", state))).as(state).hasValue(503);
        }
    }

    @Test
    void anOutageIsAProblemOfItsOwnTypeThatSaysWhenToTryAgain() {
        ProblemException problem = faults.translate(new SQLException("An I/O error occurred while sending to the backend.", "08006")).orElseThrow();

        assertThat(problem.type().uri()).isEqualTo("urn:switchboard:problem:database-unavailable");
        assertThat(problem.type().title()).isEqualTo("Transcript database unavailable");
        assertThat(problem.getMessage()).isEqualTo("the transcript database is unavailable; try again shortly");
        assertThat(problem.toResponse("/v1/sessions/room-1/transcript").getHeaderString("Retry-After")).isEqualTo("2");
    }

    @Test
    void aValueTheDatabaseRefusesIs400() {
        for (String state : new String[]{"22021", "22008", "22P02", "54000"}) {
            Optional<ProblemException> problem = faults.translate(new SQLException("invalid byte sequence", state));
            assertThat(problem).as(state).isPresent();
            assertThat(problem.get().type().status()).isEqualTo(400);
            assertThat(problem.get().getMessage()).startsWith("the database cannot take a value of this request");
        }
    }

    @Test
    void anythingElseIsNotTranslatedAndSoAnUnexpected500() {
        assertThat(faults.translate(new SQLException("syntax error", "42601"))).isEmpty();
        assertThat(faults.translate(new IllegalStateException("not a database error"))).isEmpty();
    }

    private Optional<Integer> status(SQLException e) {
        return faults.translate(e).map(p -> p.type().status());
    }
}
