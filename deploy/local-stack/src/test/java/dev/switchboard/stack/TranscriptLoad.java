package dev.switchboard.stack;

import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.infra.EmbeddedPostgresServer;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.schemas.topics.Topic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Transcript segments as the agent worker publishes them (final lines of calls, keyed by room), and what the
 * transcript service stored of them, for tests that count every line.
 */
final class TranscriptLoad {
    private static final AvroCodec<TranscriptSegment> CODEC = AvroCodec.of(TranscriptSegment.class);

    private final String roomPrefix;
    private final List<TranscriptSegment> segments;

    private TranscriptLoad(String roomPrefix, List<TranscriptSegment> segments) {
        this.roomPrefix = roomPrefix;
        this.segments = segments;
    }

    /** {@code calls} calls of {@code linesPerCall} final lines each, in rooms named {@code <roomPrefix>-<n>}. */
    static TranscriptLoad of(String roomPrefix, int calls, int linesPerCall) {
        List<TranscriptSegment> segments = new ArrayList<>(calls * linesPerCall);
        Instant start = Instant.now().minusSeconds(3600);
        for (int call = 0; call < calls; call++) {
            String room = roomPrefix + "-" + call;
            String sessionId = UUID.randomUUID().toString();
            for (int line = 0; line < linesPerCall; line++) {
                SpeakerRole role = line % 2 == 0 ? SpeakerRole.USER : SpeakerRole.AGENT;
                long startMs = line * 3000L;
                segments.add(TranscriptSegment.newBuilder().setSegmentId(UUID.randomUUID().toString()).setRoom(room)
                        .setSessionId(sessionId).setSequence(line).setRevision(0).setRole(role)
                        .setParticipantIdentity(role == SpeakerRole.USER ? "caller" : "agent")
                        .setText("Line " + line + " of call " + call + ", about an order that has not arrived yet.")
                        .setStartMs(startMs).setEndMs(startMs + 2500).setIsFinal(true).setInterrupted(false)
                        .setLanguage("en-US").setConfidence(0.9f).setCreatedAt(start.plusMillis(startMs + 2500)).build());
            }
        }
        return new TranscriptLoad(roomPrefix, segments);
    }

    int size() {
        return segments.size();
    }

    /** The rooms of the calls, in order. */
    List<String> rooms() {
        return segments.stream().map(TranscriptSegment::getRoom).distinct().toList();
    }

    /** Publishes every segment (acks=all) and waits until the broker has them all. */
    void publish(String bootstrapServers) {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TranscriptSegment segment : segments) {
                producer.send(new ProducerRecord<>(Topic.TRANSCRIPTS.topicName(), segment.getRoom(), CODEC.encode(segment)));
            }
            producer.flush();
        }
    }

    /** The rooms of this load whose records the producer's default partitioner puts on the given partitions. */
    Set<String> roomsOn(Set<Integer> partitions, int partitionCount) {
        Set<String> rooms = new HashSet<>();
        for (TranscriptSegment segment : segments) {
            byte[] key = segment.getRoom().getBytes(StandardCharsets.UTF_8);
            if (partitions.contains(Utils.toPositive(Utils.murmur2(key)) % partitionCount)) {
                rooms.add(segment.getRoom());
            }
        }
        return rooms;
    }

    /** How many rows of these rooms the database holds. */
    long stored(String jdbcUrl, Set<String> rooms) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM segments WHERE room = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("text", rooms.toArray()));
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many rows of this load the database holds. */
    long stored(String jdbcUrl) {
        return query(jdbcUrl, "SELECT count(*) FROM segments WHERE room LIKE ?", rs -> {
            rs.next();
            return rs.getLong(1);
        });
    }

    /** Lost, duplicated and unexpected rows: what was published against what was stored. */
    Check check(String jdbcUrl) {
        return query(jdbcUrl, "SELECT segment_id FROM segments WHERE room LIKE ?", rs -> {
            Set<String> published = new HashSet<>();
            segments.forEach(s -> published.add(s.getSegmentId()));
            Set<String> seen = new HashSet<>();
            long rows = 0;
            long duplicated = 0;
            long unexpected = 0;
            while (rs.next()) {
                rows++;
                String id = rs.getObject(1).toString();
                if (!seen.add(id)) {
                    duplicated++;
                } else if (!published.contains(id)) {
                    unexpected++;
                }
            }
            published.removeAll(seen);
            return new Check(segments.size(), rows, published.size(), duplicated, unexpected);
        });
    }

    record Check(long published, long rows, long lost, long duplicated, long unexpected) {
    }

    @FunctionalInterface
    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T query(String jdbcUrl, String sql, Rows<T> rows) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, EmbeddedPostgresServer.USER, EmbeddedPostgresServer.PASSWORD);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, roomPrefix + "-%");
            try (ResultSet rs = statement.executeQuery()) {
                return rows.read(rs);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
