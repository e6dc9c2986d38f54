package dev.switchboard.kit.health;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Is the Kafka broker answering: asks it to describe the cluster, as Quarkus' own Kafka health check does, but gives
 * up after {@link #TIMEOUT}. Quarkus' check (quarkus.kafka.health.enabled, switched off in every service) waits
 * for its admin client's default.api.timeout.ms, a minute by default, so a broker that accepts connections but does not
 * answer (frozen, overloaded, a half-open network path) kept every readiness probe hanging for a minute before it said
 * DOWN. Setting default.api.timeout.ms under {@code kafka.} would shorten it for every consumer of the service too.
 *
 * <p>Named as Quarkus' check was, so dashboards and probes that look for it by name still find it.
 */
@Readiness
@ApplicationScoped
public class KafkaReadiness implements HealthCheck {
    public static final String NAME = "Kafka connection health check";
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Map<String, Object> adminConfig;
    private Admin admin;

    KafkaReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> config = new HashMap<>();
        kafkaConfig.forEach((key, value) -> {
            if (value != null && AdminClientConfig.configNames().contains(key)) {
                config.put(key, value.toString());
            }
        });
        // One attempt per probe, bounded: no request waits longer than the call itself.
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        config.putIfAbsent(AdminClientConfig.CLIENT_ID_CONFIG, "switchboard-readiness");
        this.adminConfig = Map.copyOf(config);
    }

    @Override
    public HealthCheckResponse call() {
        try {
            var nodes = admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            return HealthCheckResponse.named(NAME).up()
                    .withData("nodes", nodes.stream().map(KafkaReadiness::address).collect(Collectors.joining(",")))
                    .build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return down("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return down(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (TimeoutException e) {
            return down("the broker did not answer within " + TIMEOUT.toMillis() + " ms");
        } catch (RuntimeException e) {
            // e.g. no bootstrap server resolves: the admin client cannot even be made; made again at the next probe
            return down(e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    private static HealthCheckResponse down(String reason) {
        return HealthCheckResponse.named(NAME).down().withData("reason", reason).build();
    }

    private static String address(Node node) {
        return node.host() + ":" + node.port();
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ZERO);
            admin = null;
        }
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }
}
