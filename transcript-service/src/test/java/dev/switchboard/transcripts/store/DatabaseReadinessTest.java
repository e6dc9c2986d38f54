package dev.switchboard.transcripts.store;

import io.agroal.api.AgroalDataSource;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness answers within its bound whatever the database does, and a frozen database gets one check at a time. */
class DatabaseReadinessTest {

    @Test
    void aDatabaseThatDoesNotAnswerIsDownWithinTheBoundNotWhenItAnswers() throws Exception {
        CountDownLatch frozen = new CountDownLatch(1);
        AtomicInteger checks = new AtomicInteger();
        DatabaseReadiness readiness = new DatabaseReadiness(pool(() -> {
            checks.incrementAndGet();
            try {
                frozen.await(); // a pooled connection waiting on a socket nobody answers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return true;
        }), Duration.ofMillis(300));
        try {
            for (int probe = 0; probe < 3; probe++) {
                long start = System.nanoTime();
                HealthCheckResponse response = readiness.call();
                long tookMs = (System.nanoTime() - start) / 1_000_000;

                assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
                assertThat(response.getName()).isEqualTo("Database connections health check");
                assertThat(response.getData().orElseThrow().get("<default>")).isEqualTo("the database did not answer within 300 ms");
                assertThat(tookMs).as("probe %d answered within the bound", probe).isBetween(250L, 2_000L);
            }
            assertThat(checks).as("the probes wait for the one check still running instead of starting more").hasValue(1);

            frozen.countDown(); // the database answers again
            assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        } finally {
            frozen.countDown();
            readiness.stop(null);
        }
    }

    @Test
    void aFailedValidationOrAnErrorIsDown() {
        DatabaseReadiness invalid = new DatabaseReadiness(pool(() -> false), Duration.ofSeconds(2));
        DatabaseReadiness broken = new DatabaseReadiness(pool(() -> {
            throw new IllegalStateException("Acquisition timeout while waiting for new connection");
        }), Duration.ofSeconds(2));
        try {
            assertThat(invalid.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            HealthCheckResponse response = broken.call();
            assertThat(response.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(response.getData().orElseThrow().get("<default>").toString()).contains("Acquisition timeout");
        } finally {
            invalid.stop(null);
            broken.stop(null);
        }
    }

    private static AgroalDataSource pool(BooleanSupplier isHealthy) {
        return (AgroalDataSource) Proxy.newProxyInstance(DatabaseReadinessTest.class.getClassLoader(), new Class<?>[]{AgroalDataSource.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isHealthy" -> isHealthy.getAsBoolean();
                    case "toString" -> "pool";
                    case "hashCode" -> 0;
                    case "equals" -> proxy == args[0];
                    default -> throw new SQLException("not in this test: " + method.getName());
                });
    }
}
