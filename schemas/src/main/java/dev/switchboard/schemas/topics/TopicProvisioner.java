package dev.switchboard.schemas.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Creates the catalogue's topics that do not exist yet. Safe to run again and concurrently. */
public final class TopicProvisioner {
    private TopicProvisioner() {
    }

    /** Creates every missing topic of the catalogue and returns the names it created. */
    public static List<String> createMissing(Admin admin, short replicationFactor) {
        try {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = Arrays.stream(Topic.values())
                    .filter(topic -> !existing.contains(topic.topicName()))
                    .map(topic -> new NewTopic(topic.topicName(), topic.partitions(), replicationFactor).configs(topic.configs()))
                    .toList();
            // The broker's topic list can lag a creation that just happened (here or in another
            // provisioner), so a topic that turns out to exist already is not reported as created.
            List<String> created = new ArrayList<>();
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(30, TimeUnit.SECONDS);
                    created.add(entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            return created;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create Switchboard's topics: " + e.getMessage(), e);
        }
    }
}
