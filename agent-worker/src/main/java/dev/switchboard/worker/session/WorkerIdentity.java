package dev.switchboard.worker.session;

import dev.switchboard.schemas.topics.WorkerCommandTopics;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * This worker process's id (on every session it runs and in its per-instance consumer groups) and where it reads its
 * commands ({@code switchboard.worker.command-topic}): by default a topic of its own ({@link WorkerCommandTopics}),
 * announced in every SessionStarted so that only this worker reads the commands for its calls; or the broadcast
 * topic, which every worker configured so reads (nothing announced).
 */
@ApplicationScoped
public class WorkerIdentity {
    private final String id;
    private final String commandTopic;
    private final boolean directed;

    WorkerIdentity(@ConfigProperty(name = "switchboard.worker.id") String id,
                   @ConfigProperty(name = "switchboard.worker.command-topic") String commandTopic,
                   @ConfigProperty(name = "switchboard.topics.session-commands") String broadcast) {
        this.directed = !commandTopic.equals(broadcast);
        if (directed && !WorkerCommandTopics.isWorkerCommandTopic(commandTopic)) {
            // Made at start (CommandTopic needs it first); Quarkus reports a ConfigurationException as its message alone.
            throw new ConfigurationException("switchboard.worker.command-topic (SWITCHBOARD_WORKER_COMMAND_TOPIC) = '" + commandTopic
                    + "' is neither the broadcast topic (" + broadcast + ") nor a worker's own topic (" + WorkerCommandTopics.PREFIX
                    + "<worker id>); a worker id may use only letters, digits, '.', '_' and '-'");
        }
        this.id = id;
        this.commandTopic = commandTopic;
    }

    public String id() {
        return id;
    }

    /** The topic this worker reads its commands from (its own, or the broadcast topic). */
    public String commandTopic() {
        return commandTopic;
    }

    /** Its own command topic, which SessionStarted announces; empty when it reads the broadcast topic. */
    public Optional<String> ownCommandTopic() {
        return directed ? Optional.of(commandTopic) : Optional.empty();
    }
}
