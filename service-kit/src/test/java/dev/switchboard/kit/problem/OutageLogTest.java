package dev.switchboard.kit.problem;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/** An outage answered a thousand times is a WARN line now and then, each saying how many it stood for. */
class OutageLogTest {
    private static final ProblemType KAFKA_DOWN = ProblemType.named("kafka-unavailable", "Kafka unavailable", 503);
    private static final ProblemType DATABASE_DOWN = ProblemType.named("database-unavailable", "Database unavailable", 503);

    private Instant now = Instant.parse("2026-12-06T10:00:00Z");
    private final OutageLog log = new OutageLog(() -> now);

    @Test
    void theFirstAnswerOfAnOutageIsWarnedThenOneLineEveryIntervalCountingTheRest() {
        assertThat(log.warn(KAFKA_DOWN)).isEqualTo(OptionalLong.of(0));
        for (int i = 0; i < 999; i++) {
            now = now.plusMillis(10);
            assertThat(log.warn(KAFKA_DOWN)).isEmpty();
        }
        now = now.plus(OutageLog.INTERVAL);
        assertThat(log.warn(KAFKA_DOWN)).as("the next line says how many were answered so meanwhile").isEqualTo(OptionalLong.of(999));
        assertThat(log.warn(KAFKA_DOWN)).isEmpty();
    }

    @Test
    void eachKindOfOutageHasItsOwnLines() {
        assertThat(log.warn(KAFKA_DOWN)).isPresent();
        assertThat(log.warn(DATABASE_DOWN)).as("another dependency's outage is news of its own").isPresent();
        assertThat(log.warn(KAFKA_DOWN)).isEmpty();
        now = now.plus(Duration.ofHours(1));
        assertThat(log.warn(DATABASE_DOWN)).isEqualTo(OptionalLong.of(0));
    }
}
