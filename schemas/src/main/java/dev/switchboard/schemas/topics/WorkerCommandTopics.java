package dev.switchboard.schemas.topics;

import org.apache.kafka.clients.admin.NewTopic;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Directed command delivery: every agent worker reads the commands for its own calls from a topic of its own,
 * {@code switchboard.session-commands.worker.<workerId>}, which it creates when it starts and announces in each
 * session's {@code SessionStarted.commandTopic}. The context gateway and the Java client write a session's commands
 * there, so a command is read by the one worker that runs the room however many workers there are; commands written
 * to the broadcast topic ({@link Topic#SESSION_COMMANDS}) by systems that know only the room are forwarded there by
 * the gateway. The call controller deletes a worker's topic once the worker has stopped or been declared lost.
 *
 * <p>Each topic has one partition (one reader, and a room's commands stay in order), the retention of the broadcast
 * topic, and no dead-letter twin of its own: poison records go to {@code switchboard.session-commands.dlq}.
 */
public final class WorkerCommandTopics {
    /** Every worker's topic starts with this. */
    public static final String PREFIX = Topic.SESSION_COMMANDS.topicName() + ".worker.";
    /** A regular expression that matches every worker's topic and no other (for pattern subscriptions). */
    public static final String PATTERN = PREFIX.replace(".", "[.]") + "[a-zA-Z0-9._-]+";
    /** The configuration key that holds {@link #PATTERN} inside a service. */
    public static final String PATTERN_CONFIG_KEY = "switchboard.topics.worker-commands-pattern";
    /**
     * A regular expression that matches the broadcast topic and every worker's topic, and nothing else (not the
     * dead-letter twin): every topic a session command is sent to.
     */
    public static final String EVERY_COMMAND_TOPIC_PATTERN = Topic.SESSION_COMMANDS.topicName().replace(".", "[.]")
            + "([.]worker[.][a-zA-Z0-9._-]+)?";
    /** The configuration key that holds {@link #EVERY_COMMAND_TOPIC_PATTERN} inside a service. */
    public static final String EVERY_COMMAND_TOPIC_PATTERN_CONFIG_KEY = "switchboard.topics.every-command-topic-pattern";
    public static final int PARTITIONS = 1;
    /** Who writes to a worker's topic: the gateway (its own commands, and those it forwards) and, directly, the Java client. */
    public static final List<Party> PRODUCERS = List.of(Party.CONTEXT_GATEWAY, Party.INTEGRATIONS);
    /**
     * Who reads one: the worker it belongs to, and the gateway (every worker's, by pattern: its watchdog once per cluster,
     * and each instance, to know the commands pending).
     */
    public static final List<Party> CONSUMERS = List.of(Party.AGENT_WORKER, Party.CONTEXT_GATEWAY);

    /** What a party may do to the workers' topics (Kafka ACLs on their prefix). */
    public enum Access { CREATE, DELETE, DESCRIBE, READ, WRITE }

    /** Kafka's limit on a topic name's length. */
    private static final int MAX_NAME_LENGTH = 249;
    private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]+");
    private static final Pattern MATCHER = Pattern.compile(PATTERN);

    private WorkerCommandTopics() {
    }

    /**
     * The command topic of a worker.
     *
     * @throws IllegalArgumentException when the id cannot be part of a topic name (Kafka allows letters, digits,
     *                                  '.', '_' and '-', up to 249 characters in all)
     */
    public static String of(String workerId) {
        if (workerId == null || !LEGAL_ID.matcher(workerId).matches() || PREFIX.length() + workerId.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("the worker id \"" + workerId + "\" cannot name a Kafka topic: use letters, digits,"
                    + " '.', '_' and '-', at most " + (MAX_NAME_LENGTH - PREFIX.length()) + " characters");
        }
        return PREFIX + workerId;
    }

    /**
     * What Kafka must let a party do to the workers' topics: a worker creates and reads its own, the gateway writes and
     * reads them, the call controller deletes those of workers that have gone, other systems may write to them.
     */
    public static Set<Access> accessOf(Party party) {
        Set<Access> access = EnumSet.noneOf(Access.class);
        if (PRODUCERS.contains(party)) {
            access.add(Access.WRITE);
        }
        if (CONSUMERS.contains(party)) {
            access.add(Access.READ);
        }
        if (party == Party.AGENT_WORKER) {
            access.add(Access.CREATE);
        }
        if (party == Party.CALL_CONTROLLER) {
            access.add(Access.DELETE);
        }
        if (!access.isEmpty()) {
            access.add(Access.DESCRIBE);
        }
        return access;
    }

    /** Whether a topic is a worker's command topic. */
    public static boolean isWorkerCommandTopic(String topicName) {
        return topicName != null && MATCHER.matcher(topicName).matches();
    }

    /** The worker whose command topic this is; empty for any other topic. */
    public static Optional<String> workerOf(String topicName) {
        return isWorkerCommandTopic(topicName) ? Optional.of(topicName.substring(PREFIX.length())) : Optional.empty();
    }

    /** Where poison records read from a topic go: the broadcast topic's twin for a worker's topic, else the topic's own. */
    public static String deadLetterTopicOf(String topicName) {
        return isWorkerCommandTopic(topicName) ? Topic.SESSION_COMMANDS_DLQ.topicName() : topicName + ".dlq";
    }

    public static Duration retention() {
        return Topic.SESSION_COMMANDS.retention();
    }

    /** How a worker's topic is created: one partition, replicated as the broker's default says, retained as the broadcast topic. */
    public static NewTopic newTopic(String topicName) {
        if (!isWorkerCommandTopic(topicName)) {
            throw new IllegalArgumentException("\"" + topicName + "\" is not a worker's command topic");
        }
        return new NewTopic(topicName, Optional.of(PARTITIONS), Optional.empty()).configs(configs());
    }

    /** The topic-level configuration a worker's topic is created with. */
    public static Map<String, String> configs() {
        return Topic.SESSION_COMMANDS.configs();
    }
}
