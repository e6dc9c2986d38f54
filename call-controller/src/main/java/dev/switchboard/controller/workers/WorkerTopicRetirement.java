package dev.switchboard.controller.workers;

import dev.switchboard.events.WorkerHeartbeat;
import dev.switchboard.kit.concurrent.ApplicationThreads;
import dev.switchboard.kit.kafka.SharedAdmin;
import dev.switchboard.schemas.topics.WorkerCommandTopics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Deletes the own command topic of every agent worker that has stopped (its goodbye, STOPPED) or was declared lost
 * (LOST), once {@link WorkerLossSettings#commandTopicGrace()} has passed, so workers that come and go leave no topics
 * behind. It acts on the workers of the heartbeat partitions this controller reads; the compacted topic is read from the
 * beginning at every assignment, so a deletion missed by a controller that restarted is done by the next one (deleting a
 * topic that is gone already is success). A beat of the same worker id before the deletion is due cancels it.
 */
@ApplicationScoped
@Startup
public class WorkerTopicRetirement {
    private static final Logger LOG = Logger.getLogger(WorkerTopicRetirement.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CHECK_AT_MOST_EVERY = Duration.ofSeconds(5);

    private final Map<String, Instant> due = new ConcurrentHashMap<>();
    private final SharedAdmin admin;
    private final Duration grace;
    private final Duration checkEvery;
    private final Clock clock;
    private final Counter deleted;
    private final ScheduledExecutorService deleter;

    WorkerTopicRetirement(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, WorkerLossSettings settings,
                          Clock clock, MeterRegistry metrics) {
        this.admin = new SharedAdmin(kafkaConfig, TIMEOUT);
        this.grace = settings.commandTopicGrace();
        this.clock = clock;
        this.deleted = metrics.counter("switchboard.controller.worker.topics.deleted");
        this.deleter = Executors.newSingleThreadScheduledExecutor(ApplicationThreads.platformDaemon("worker-topic-retirement"));
        this.checkEvery = grace.compareTo(CHECK_AT_MOST_EVERY) < 0 ? grace : CHECK_AT_MOST_EVERY;
        deleter.scheduleWithFixedDelay(this::deleteDueSafely, checkEvery.toMillis(), checkEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A record of the heartbeat topic: a worker's goodbye or verdict schedules the deletion, any other beat cancels it. */
    public void heard(WorkerHeartbeat beat) {
        String topic;
        try {
            topic = WorkerCommandTopics.of(beat.getWorkerId());
        } catch (IllegalArgumentException e) {
            return; // an id that cannot name a topic never had one
        }
        switch (beat.getState()) {
            case STOPPED, LOST -> due.putIfAbsent(topic, clock.instant().plus(grace));
            case RUNNING, DRAINING, UNKNOWN -> due.remove(topic);
        }
    }

    private void deleteDueSafely() {
        try {
            deleteDue();
        } catch (RuntimeException e) {
            LOG.warnf("deleting the command topics of stopped workers failed; trying again in %d ms: %s", checkEvery.toMillis(), e.getMessage());
        }
    }

    void deleteDue() {
        Instant now = clock.instant();
        List<String> topics = due.entrySet().stream().filter(e -> !e.getValue().isAfter(now)).map(Map.Entry::getKey).toList();
        if (topics.isEmpty()) {
            return;
        }
        admin.get().deleteTopics(topics).topicNameValues().forEach((topic, deletion) -> {
            try {
                deletion.get(TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
                due.remove(topic);
                deleted.increment();
                LOG.infof("deleted the command topic %s of a worker that has stopped", topic);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                    due.remove(topic); // gone already: deleted by another controller, or the worker read the broadcast topic
                } else {
                    LOG.warnf("could not delete the command topic %s (trying again): %s", topic, e.getCause().getMessage());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.warnf("the broker did not delete the command topic %s in time (trying again)", topic);
            }
        });
    }

    @PreDestroy
    void stop() {
        deleter.shutdownNow();
        admin.close();
    }
}
