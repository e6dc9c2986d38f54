package dev.switchboard.transcripts.store;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Does the database answer: the pool's own check (a pooled connection, validated), as Quarkus' datasource check asks
 * it (quarkus.datasource.health.enabled, switched off here), but the probe gives up after {@link #TIMEOUT}, as the
 * kit's Kafka check does. Quarkus' check waited as long as the database did: when PostgreSQL stopped answering
 * without dying (frozen, a half-open network path), for a free connection first (every one held by a request waiting
 * on its socket) and then on the validation's socket, so readiness gave no answer at all for 40 s and more.
 *
 * <p>The check itself runs on a thread of its own, one at a time: a probe that arrives while the previous check still
 * waits (bounded by the acquisition, login and socket timeouts of application.properties) waits for that one rather
 * than starting another, so a frozen database cannot pile up threads or connections behind the probes.
 *
 * <p>Named as Quarkus' check was, so dashboards and probes that look for it by name still find it.
 */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {
    public static final String NAME = "Database connections health check";
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final AgroalDataSource dataSource;
    private final Duration timeout;
    private final ExecutorService checks = Executors.newSingleThreadExecutor(ApplicationThreads.platformDaemon("transcript-db-readiness"));
    private Future<Boolean> running;

    @Inject
    DatabaseReadiness(AgroalDataSource dataSource) {
        this(dataSource, TIMEOUT);
    }

    DatabaseReadiness(AgroalDataSource dataSource, Duration timeout) {
        this.dataSource = dataSource;
        this.timeout = timeout;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            if (check().get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return HealthCheckResponse.named(NAME).up().withData("<default>", "UP").build();
            }
            return down("validation check failed for the default DataSource");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down("Unable to execute the validation check for the default DataSource: "
                    + (cause.getMessage() == null ? cause.toString() : cause.getMessage()));
        } catch (TimeoutException e) {
            return down("the database did not answer within " + timeout.toMillis() + " ms");
        } catch (RuntimeException e) {
            // e.g. the executor refused the check while the service stops
            return down(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private synchronized Future<Boolean> check() {
        if (running == null || running.isDone()) {
            running = checks.submit(() -> dataSource.isHealthy(false));
        }
        return running;
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("<default>", reason).build();
    }

    void stop(@Observes ShutdownEvent event) {
        checks.shutdownNow();
    }
}
