package dev.switchboard.worker.kafka;

import dev.switchboard.kit.kafka.AdminSettings;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import dev.switchboard.worker.session.WorkerIdentity;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.TopicExistsException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Creates this worker's own command topic ({@link WorkerIdentity#ownCommandTopic()}) before the messaging channels
 * start (they start at a later priority of the same event), so that the command consumer finds it at once. A broker
 * that cannot create it leaves the worker not ready (its consumer gets no partition, see {@link CommandsPositioned})
 * rather than taking calls it could not steer. The call controller deletes it once this worker has stopped.
 */
@ApplicationScoped
public class CommandTopic {
    private static final Logger LOG = Logger.getLogger(CommandTopic.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final WorkerIdentity worker;
    private final Map<String, Object> kafkaConfig;

    CommandTopic(WorkerIdentity worker, @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.worker = worker;
        this.kafkaConfig = kafkaConfig;
    }

    void createAtStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent start) {
        worker.ownCommandTopic().ifPresentOrElse(this::create,
                () -> LOG.infof("reading session commands from the broadcast topic %s", worker.commandTopic()));
    }

    private void create(String topic) {
        try (Admin admin = Admin.create(AdminSettings.of(kafkaConfig, TIMEOUT))) {
            admin.createTopics(List.of(WorkerCommandTopics.newTopic(topic))).all().get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
            LOG.infof("reading session commands from this worker's own topic %s (created)", topic);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                LOG.infof("reading session commands from this worker's own topic %s (it existed)", topic);
            } else {
                LOG.errorf("could not create this worker's command topic %s: %s; the worker stays not ready until it exists",
                        topic, e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            LOG.errorf("the broker did not create this worker's command topic %s within %d s; the worker stays not ready until it exists",
                    topic, TIMEOUT.toSeconds() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
