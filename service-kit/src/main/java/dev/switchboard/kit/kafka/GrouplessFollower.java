package dev.switchboard.kit.kafka;

import dev.switchboard.kit.concurrent.ApplicationThreads;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A consumer without a group that follows topics on a thread of its own (with the application's class loader) for as
 * long as the service runs: what it reads is up to {@link Follow}. When following fails (the broker went away, a topic
 * is missing), the failure is one WARN line and a new consumer follows again after 0.5 s, then up to 10 s apart.
 */
public final class GrouplessFollower {
    private static final Logger LOG = Logger.getLogger(GrouplessFollower.class);
    private static final long FIRST_BACKOFF_MILLIS = 500;
    private static final long LONGEST_BACKOFF_MILLIS = 10_000;

    /** Assigns the partitions and reads until {@code running} turns false (or a failure, thrown). */
    @FunctionalInterface
    public interface Follow {
        void follow(KafkaConsumer<String, byte[]> consumer, BooleanSupplier running);
    }

    private final String threadName;
    private final String what;
    private final Supplier<Map<String, Object>> settings;
    private final Follow follow;
    private final Runnable disconnected;
    private volatile boolean running;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    /**
     * @param what         what the follower does, for the log ("the live tail")
     * @param settings     the consumer's settings, asked for each new consumer ({@link GrouplessConsumerSettings})
     * @param disconnected called whenever a consumer is gone (failed or stopped), before any new one
     */
    public GrouplessFollower(String threadName, String what, Supplier<Map<String, Object>> settings, Follow follow, Runnable disconnected) {
        this.threadName = threadName;
        this.what = what;
        this.settings = settings;
        this.follow = follow;
        this.disconnected = disconnected;
    }

    public void start() {
        running = true;
        thread = ApplicationThreads.platformDaemon(threadName).newThread(this::run);
        thread.start();
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Every partition of the topic, for {@link KafkaConsumer#assign}; fails when the topic does not exist (yet). */
    public static List<TopicPartition> partitionsOf(KafkaConsumer<?, ?> consumer, String topic) {
        var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        return infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Whether a consumer is connected and following. */
    public boolean connected() {
        return running && consumer != null;
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MILLIS;
        while (running) {
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(settings.get(), new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer = c;
                follow.follow(c, () -> running);
                backoff = FIRST_BACKOFF_MILLIS;
            } catch (WakeupException e) {
                // stopping
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warnf("%s interrupted, following again in %d ms: %s", what, backoff, e.toString());
                    sleep(backoff);
                    backoff = Math.min(backoff * 2, LONGEST_BACKOFF_MILLIS);
                }
            } finally {
                consumer = null;
                disconnected.run();
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
