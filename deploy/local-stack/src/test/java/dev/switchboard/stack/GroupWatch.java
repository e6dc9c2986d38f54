package dev.switchboard.stack;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/** What the broker's group coordinator says about a consumer group: who owns which partitions of a topic. */
final class GroupWatch implements AutoCloseable {
    private final Admin admin;
    private final String group;
    private final String topic;

    GroupWatch(String bootstrapServers, String group, String topic) {
        this.admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers, "request.timeout.ms", 5000, "default.api.timeout.ms", 5000));
        this.group = group;
        this.topic = topic;
    }

    /** Member id to the partitions of the topic it owns; empty when the coordinator cannot be asked right now. */
    Map<String, Set<Integer>> owners() {
        try {
            ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get(5, TimeUnit.SECONDS).get(group);
            Map<String, Set<Integer>> owners = new HashMap<>();
            for (MemberDescription member : description.members()) {
                Set<Integer> partitions = new TreeSet<>();
                for (TopicPartition partition : member.assignment().topicPartitions()) {
                    if (partition.topic().equals(topic)) {
                        partitions.add(partition.partition());
                    }
                }
                if (!partitions.isEmpty()) {
                    owners.put(member.consumerId(), partitions);
                }
            }
            return owners;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** How many of the topic's partitions are assigned to a member that is not one of {@code gone}. */
    int ownedByOthersThan(Set<String> gone) {
        return owners().entrySet().stream().filter(e -> !gone.contains(e.getKey())).mapToInt(e -> e.getValue().size()).sum();
    }

    @Override
    public void close() {
        admin.close();
    }
}
