package dev.switchboard.kit.health;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.schemas.serde.SchemaRegistryCheck;
import dev.switchboard.schemas.topics.Party;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.avro.specific.SpecificRecord;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * With a schema registry configured, the service registers (or finds) the schema of every topic it writes as soon as
 * it starts, and is not ready until that succeeded: a registry that is unreachable, refuses the credentials or refuses
 * a schema shows in this check and in the log, with the registry's own answer, instead of as the first command's
 * failure. Tried again 2 s later, then less and less often (at most a minute apart), until the registry answers; once
 * it has, the check stays UP (the serializers ask the registry once per schema, which is now there).
 *
 * <p>Without a registry (the default) the check is UP and says so.
 */
@Readiness
@ApplicationScoped
public class SchemaRegistryReadiness implements HealthCheck {
    public static final String NAME = "Schema registry";
    private static final Logger LOG = Logger.getLogger(SchemaRegistryReadiness.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    private final Optional<SchemaRegistryCheck> check;
    private final Map<String, Class<? extends SpecificRecord>> written = new TreeMap<>();
    private volatile Map<String, Integer> registered;
    private volatile String problem = "not asked yet";
    private ScheduledExecutorService timer;

    SchemaRegistryReadiness(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                            @ConfigProperty(name = "quarkus.application.name") String service, Config config) {
        this.check = SchemaRegistryCheck.from(kafkaConfig);
        Arrays.stream(Party.values()).filter(party -> party.id().equals(service)).findFirst()
                .ifPresent(party -> party.writes().forEach(topic -> topic.valueType().ifPresent(type ->
                        written.put(config.getOptionalValue(topic.configKey(), String.class).orElse(topic.topicName()), type))));
    }

    void start(@Observes StartupEvent event) {
        if (check.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("schema-registry-check"));
        timer.execute(() -> attempt(FIRST_RETRY));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        check.ifPresent(SchemaRegistryCheck::close);
    }

    private void attempt(Duration nextRetry) {
        SchemaRegistryCheck registry = check.orElseThrow();
        try {
            registered = Map.copyOf(registry.registerWriterSchemas(written));
            problem = null;
            LOG.infof("schema registry at %s: %s", registry.url(), registry.writes()
                    ? "the schemas of the " + registered.size() + " topics this service writes are registered " + new TreeMap<>(registered)
                    : "reading only (switchboard.schema-registry.write=false): writer schemas are fetched by id when first met");
        } catch (RuntimeException e) {
            if (timer.isShutdown()) {
                return; // the service is stopping: the client was closed under the request
            }
            String answer = e.getMessage() == null ? e.toString() : e.getMessage();
            if (!answer.equals(problem)) {
                // Once per distinct answer, without a stack trace: the registry's answer says what is wrong.
                LOG.warnf("schema registry at %s: %s; this service is not ready until it answers (asking again every %d s at most)",
                        registry.url(), answer, LONGEST_RETRY.toSeconds());
            }
            problem = answer;
            Duration after = nextRetry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : nextRetry.multipliedBy(2);
            try {
                timer.schedule(() -> attempt(after), nextRetry.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                // the service is stopping
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        if (check.isEmpty()) {
            return HealthCheckResponse.named(NAME).up().withData("mode", "off: Avro's single-object encoding").build();
        }
        String url = check.get().url();
        String currentProblem = problem;
        if (currentProblem != null) {
            return HealthCheckResponse.named(NAME).down().withData("url", url).withData("problem", currentProblem).build();
        }
        return HealthCheckResponse.named(NAME).up().withData("url", url).withData("subjects", registered.size()).build();
    }
}
