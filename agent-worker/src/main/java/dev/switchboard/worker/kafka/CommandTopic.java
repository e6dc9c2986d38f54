package dev.switchboard.worker.kafka;

import dev.switchboard.kit.kafka.SharedAdmin;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.worker.session.WorkerIdentity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates this worker's own command topic ({@link WorkerIdentity#ownCommandTopic()}) before the messaging channels
 * start (they start at a later priority of the same event), so that the command consumer finds it at once. A broker
 * that cannot create it leaves the worker not ready (its consumer gets no partition, see {@link CommandsPositioned})
 * rather than taking calls it could not steer. The call controller deletes it once this worker has stopped.
 *
 * <p>The controller also deletes it, after a grace, when it declares the worker lost; a worker that was only cut off
 * from Kafka for that long comes back to find its topic gone, and would announce new calls on a topic nobody can write
 * to. So the worker looks for its topic every {@code switchboard.worker.command-topic-check-interval} and creates it
 * again when it is missing. Everything in a topic it created itself was written for this process (the worker id is
 * new at every start), so {@link CommandsPositioned} reads a re-created topic from its beginning.
 */
@ApplicationScoped
public class CommandTopic {
    private static final Logger LOG = Logger.getLogger(CommandTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WorkerIdentity worker;
    private final SharedAdmin admin;
    private final Duration checkInterval;
    private final Counter recreated;
    // Its own thread: a check waits on the broker, which the shared timers must not.
    private final ScheduledExecutorService checker = WorkerThreads.scheduler("command-topic-check");

    CommandTopic(WorkerIdentity worker, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                 @ConfigProperty(name = "switchboard.worker.command-topic-check-interval", defaultValue = "10s") Duration checkInterval,
                 MeterRegistry metrics) {
        this.worker = worker;
        this.admin = new SharedAdmin(kafkaConfig, TIMEOUT);
        this.checkInterval = checkInterval;
        this.recreated = metrics.counter("switchboard.worker.command-topic.recreated");
    }

    /**
     * Just after the settings checked at {@code PLATFORM_BEFORE} (a worker that stops on a bad setting must not first
     * wait on the broker), still well before the messaging channels ({@code LIBRARY_BEFORE}).
     */
    void createAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE + 1) StartupEvent start) {
        worker.ownCommandTopic().ifPresentOrElse(topic -> {
                    create(topic, "created");
                    checker.scheduleWithFixedDelay(() -> recreateIfMissing(topic), checkInterval.toMillis(), checkInterval.toMillis(),
                            TimeUnit.MILLISECONDS);
                },
                () -> LOG.infof("reading session commands from the broadcast topic %s", worker.commandTopic()));
    }

    private void recreateIfMissing(String topic) {
        try {
            admin.get().describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                LOG.warnf("this worker's command topic %s is gone (the call controller deletes it when it declares a worker lost); "
                        + "creating it again", topic);
                if (create(topic, "created again")) {
                    recreated.increment();
                }
            } else {
                LOG.debugf("could not look for this worker's command topic %s (trying again): %s", topic, e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.debugf("the broker did not describe this worker's command topic %s in time (trying again)", topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("looking for this worker's command topic %s failed (trying again): %s", topic, e.getMessage());
        }
    }

    /** Creates the topic; true when this call created it (and not another, or nobody). */
    private boolean create(String topic, String done) {
        try {
            admin.get().createTopics(List.of(WorkerCommandTopics.newTopic(topic))).all().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            LOG.infof("reading session commands from this worker's own topic %s (%s)", topic, done);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.infof("reading session commands from this worker's own topic %s (it existed)", topic);
            } else {
                LOG.errorf("could not create this worker's command topic %s: %s; the worker cannot be steered until it exists",
                        topic, e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.errorf("the broker did not create this worker's command topic %s within %d s; the worker cannot be steered until it exists",
                    topic, TIMEOUT.toSeconds() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @PreDestroy
    void stop() {
        checker.shutdownNow();
        admin.close();
    }
}
