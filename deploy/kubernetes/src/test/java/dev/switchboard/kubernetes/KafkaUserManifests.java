package dev.switchboard.kubernetes;

import dev.switchboard.schemas.topics.Party;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.schemas.topics.WorkerCommandTopics;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders Kafka's ACLs from the topic catalogue as Strimzi KafkaUser resources: base/kafka-users.yaml is this text.
 * Each service may write exactly the topics it produces and the dead-letter twins of the topics it reads, read exactly
 * the topics it consumes, and use only consumer groups named after itself.
 */
final class KafkaUserManifests {
    static final String USER_PREFIX = "switchboard-";
    /** KEDA's user: it only looks at consumer groups' lag. */
    static final String KEDA_USER = USER_PREFIX + "keda";
    /** A template for a company's own system; copy it once per system, with its own name and group prefix. */
    static final String INTEGRATION_USER = "example-integration";

    enum Operation { Create, Delete, Describe, Read, Write }

    private KafkaUserManifests() {
    }

    /** The KafkaUser name of a party. */
    static String user(Party party) {
        return party.isSwitchboardService() ? USER_PREFIX + party.id() : INTEGRATION_USER;
    }

    /** The prefix every consumer group of the party starts with (a service's group.id values; a test checks them). */
    static String groupPrefix(Party party) {
        return party.isSwitchboardService() ? party.id() : INTEGRATION_USER;
    }

    /** What the party may do on each topic, by the catalogue. */
    static Map<Topic, Set<Operation>> topicAcls(Party party) {
        Map<Topic, Set<Operation>> acls = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            Set<Operation> operations = EnumSet.noneOf(Operation.class);
            if (party.writes().contains(topic)) {
                operations.add(Operation.Write);
            }
            if (party.reads().contains(topic)) {
                operations.add(Operation.Read);
            }
            if (!operations.isEmpty()) {
                operations.add(Operation.Describe);
                acls.put(topic, operations);
            }
        }
        return acls;
    }

    /** What the party may do on the workers' own command topics (directed delivery), all under one prefix. */
    static Set<Operation> workerTopicAcls(Party party) {
        Set<Operation> operations = EnumSet.noneOf(Operation.class);
        for (WorkerCommandTopics.Access access : WorkerCommandTopics.accessOf(party)) {
            operations.add(switch (access) {
                case CREATE -> Operation.Create;
                case DELETE -> Operation.Delete;
                case DESCRIBE -> Operation.Describe;
                case READ -> Operation.Read;
                case WRITE -> Operation.Write;
            });
        }
        return operations;
    }

    static String render() {
        StringBuilder yaml = new StringBuilder("""
                # Generated from the topic catalogue (dev.switchboard.schemas.topics.Topic); do not edit by hand.
                # Regenerate: mvn -pl deploy/kubernetes test -Dswitchboard.regenerate=true
                # One KafkaUser per service, allowed exactly what the catalogue says it writes and reads (and the dead-letter
                # twins of what it reads), and its part in the workers' own command topics (prefix switchboard.session-commands.worker.:
                # workers create and read them, the gateway writes and reads them, the controller deletes those of stopped workers);
                # Strimzi's User Operator creates a Secret of the same name with its credentials.
                """);
        for (Party party : Party.values()) {
            if (!party.isSwitchboardService()) {
                yaml.append("# ").append(INTEGRATION_USER).append(": a template for one of your own systems; copy it per system, with its own name\n")
                        .append("# and consumer-group prefix, and keep only the topics that system needs.\n");
            }
            header(yaml, user(party), "scram-sha-512");
            topicAcls(party).forEach((topic, operations) -> acl(yaml, "topic", topic.topicName(), "literal", operations));
            Set<Operation> workerTopics = workerTopicAcls(party);
            if (!workerTopics.isEmpty()) {
                acl(yaml, "topic", WorkerCommandTopics.PREFIX, "prefix", workerTopics);
            }
            if (!party.reads().isEmpty()) {
                acl(yaml, "group", groupPrefix(party), "prefix", Set.of(Operation.Read));
            }
        }
        yaml.append("# KEDA reads the consumer groups' lag (autoscaling.yaml) with a client certificate.\n");
        header(yaml, KEDA_USER, "tls");
        acl(yaml, "topic", Topic.PREFIX, "prefix", Set.of(Operation.Describe));
        for (Party party : Party.values()) {
            if (party.isSwitchboardService()) {
                acl(yaml, "group", groupPrefix(party), "prefix", Set.of(Operation.Describe));
            }
        }
        return yaml.toString();
    }

    private static void header(StringBuilder yaml, String name, String authentication) {
        yaml.append("---\n")
                .append("apiVersion: kafka.strimzi.io/v1\n")
                .append("kind: KafkaUser\n")
                .append("metadata:\n")
                .append("  name: ").append(name).append('\n')
                .append("  labels:\n")
                .append("    strimzi.io/cluster: switchboard\n")
                .append("spec:\n")
                .append("  authentication:\n")
                .append("    type: ").append(authentication).append('\n')
                .append("  authorization:\n")
                .append("    type: simple\n")
                .append("    acls:\n");
    }

    private static void acl(StringBuilder yaml, String type, String name, String patternType, Set<Operation> operations) {
        List<String> sorted = new TreeSet<>(operations.stream().map(Enum::name).toList()).stream().toList();
        yaml.append("      - resource:\n")
                .append("          type: ").append(type).append('\n')
                .append("          name: ").append(name).append('\n')
                .append("          patternType: ").append(patternType).append('\n')
                .append("        operations: [").append(String.join(", ", sorted)).append("]\n");
    }
}
