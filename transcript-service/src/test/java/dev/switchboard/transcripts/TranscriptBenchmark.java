package dev.switchboard.transcripts;

import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.schemas.serde.AvroCodec;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.auth.TestTokens;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.PostgresTestResource;
import dev.switchboard.testing.SharedInfrastructure;
import dev.switchboard.transcripts.api.TranscriptViews;
import dev.switchboard.transcripts.mapping.SegmentMapper;
import dev.switchboard.transcripts.store.SegmentRow;
import dev.switchboard.transcripts.store.SegmentWriter;
import dev.switchboard.transcripts.store.TranscriptQueries;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The figures issues 6 and 14 ask for, on the real broker and database of this machine. Not part of the normal test
 * run (surefire excludes the tag "benchmark"); run it with
 * <pre>mvn -B -ntp -pl transcript-service -am verify -Pbenchmark</pre>
 * Sizes: -Dbenchmark.ingest.calls=200 (one-hour calls of 1200 lines pushed through Kafka),
 * -Dbenchmark.search.segments=1000000 (lines stored before the latency runs).
 *
 * <ol>
 * <li>Ingestion: the ingestion consumer is paused, N lines are published, then it is resumed; the time from resume
 * until the last batch is committed gives lines per second, end to end (Kafka fetch, Avro decoding, validation,
 * redaction, COPY into staging, upsert, commit, offset commit). The live tail runs as in production.</li>
 * <li>Raw COPY: the same rows (already mapped), written with one COPY into a copy of the segments table with the same
 * indexes and generated search column. The ratio of the two is the ingestion's efficiency.</li>
 * <li>More lines are copied in until the store holds the search corpus size, then VACUUM ANALYZE.</li>
 * <li>Latency over HTTP (keep-alive, sequential, after a warm-up) of GET /v1/sessions/{room}/transcript of a one-hour
 * call (1200 lines, JSON; unchanged between fetches, so served as kept after the first), then the first fetch of
 * each other ingested call (rendered from the database), and of GET /v1/search?q= for rare, domain, two-word and
 * phrase queries.</li>
 * </ol>
 */
@Tag("benchmark")
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
class TranscriptBenchmark {
    private static final int LINES_PER_CALL = 1200; // one line every 3 s: an hour
    private static final int RARE_WORDS = 20_000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    KafkaClientService kafka;
    @Inject
    MeterRegistry metrics;
    @Inject
    SegmentMapper mapper;
    @Inject
    TranscriptQueries transcripts;
    @Inject
    com.fasterxml.jackson.databind.ObjectMapper objectMapper;
    @TestHTTPResource("/")
    URL base;

    private final Map<String, String> results = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void benchmark() throws Exception {
        int calls = Integer.getInteger("benchmark.ingest.calls", 200);
        int searchSegments = Integer.getInteger("benchmark.search.segments", 1_000_000);
        BenchmarkCorpus corpus = new BenchmarkCorpus(42, RARE_WORDS);
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, Java " + Runtime.version() + ", " + databaseVersion());

        List<TranscriptSegment> ingested = ingestThroughKafka(corpus, calls);
        rawCopy(ingested);
        String oneHourRoom = ingested.getFirst().getRoom();
        ingested = null;
        fillTo(corpus, searchSegments);
        transcriptLatency(oneHourRoom, calls);
        searchLatency(corpus);

        StringBuilder report = new StringBuilder("\n==== transcript-service benchmark ====\n");
        results.forEach((k, v) -> report.append(String.format("%-44s %s%n", k, v)));
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-results.txt"), report.toString());
    }

    private List<TranscriptSegment> ingestThroughKafka(BenchmarkCorpus corpus, int calls) throws Exception {
        var consumer = kafka.getConsumer("transcripts");
        waitFor(() -> consumer.getAssignments().await().atMost(Duration.ofSeconds(5)).size() == Topic.TRANSCRIPTS.partitions(), Duration.ofSeconds(60));
        consumer.pause().await().atMost(Duration.ofSeconds(10));

        List<TranscriptSegment> segments = new ArrayList<>(calls * LINES_PER_CALL);
        Instant start = Instant.now().minus(Duration.ofDays(2));
        for (int c = 0; c < calls; c++) {
            segments.addAll(corpus.call("bench-" + c, LINES_PER_CALL, start.plusSeconds(c * 60L)));
        }
        AvroCodec<TranscriptSegment> codec = AvroCodec.of(TranscriptSegment.class);
        try (var producer = new KafkaProducer<String, byte[]>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
                new StringSerializer(), new ByteArraySerializer())) {
            for (TranscriptSegment segment : segments) {
                producer.send(new ProducerRecord<>(Topic.TRANSCRIPTS.topicName(), segment.getRoom(), codec.encode(segment)));
            }
            producer.flush();
        }
        Thread.sleep(2000); // let the live tail take in the burst, as it would have while the lines were spoken

        double before = counter("transcripts");
        var writes = metrics.find("switchboard.transcripts.ingest.batch.write").timer();
        long batchesBefore = writes == null ? 0 : writes.count();
        double writeSecondsBefore = writes == null ? 0 : writes.totalTime(java.util.concurrent.TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        consumer.resume().await().atMost(Duration.ofSeconds(10));
        waitFor(() -> counter("transcripts") >= before + segments.size(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(count("SELECT count(*) FROM segments WHERE room LIKE 'bench-%'")).isEqualTo(segments.size());

        double rate = segments.size() / seconds;
        writes = metrics.find("switchboard.transcripts.ingest.batch.write").timer();
        long batches = writes.count() - batchesBefore;
        double writeSeconds = writes.totalTime(java.util.concurrent.TimeUnit.SECONDS) - writeSecondsBefore;
        results.put("ingestion: batches", String.format("%,d of %,.0f lines on average; database transactions took %.2f s of the %.2f s",
                batches, (double) segments.size() / batches, writeSeconds, seconds));
        results.put("ingestion: lines through Kafka", String.format("%,d (%d one-hour calls)", segments.size(), calls));
        results.put("ingestion: end to end", String.format("%.2f s = %,.0f lines/s", seconds, rate));
        results.put("ingestion rate (internal)", Double.toString(rate));
        return segments;
    }

    private void rawCopy(List<TranscriptSegment> segments) throws Exception {
        List<SegmentRow> rows = segments.stream().map(mapper::toRow).toList();
        String data = SegmentWriter.copyText(rows);
        double seconds;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // One COPY of 240,000 lines answers after about 7 s, more on a busy machine: beyond the service's 10 s
            // socket timeout (application.properties), which is for its own statements, not this measurement's.
            connection.setNetworkTimeout(Runnable::run, 0);
            statement.execute("DROP TABLE IF EXISTS segments_copy_baseline");
            statement.execute("CREATE TABLE segments_copy_baseline (LIKE segments INCLUDING ALL)");
            statement.execute("CHECKPOINT");
            connection.setAutoCommit(false);
            long t0 = System.nanoTime();
            connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY segments_copy_baseline (" + SegmentWriter.COLUMNS + ") FROM STDIN", new StringReader(data));
            connection.commit();
            seconds = (System.nanoTime() - t0) / 1e9;
            connection.setAutoCommit(true);
            statement.execute("DROP TABLE segments_copy_baseline");
        }
        double copyRate = rows.size() / seconds;
        double ingestRate = Double.parseDouble(results.remove("ingestion rate (internal)"));
        results.put("raw COPY of the same rows (same indexes)", String.format("%.2f s = %,.0f lines/s", seconds, copyRate));
        results.put("ingestion / raw COPY", String.format("%.2f (goal >= 0.8)", ingestRate / copyRate));
    }

    /** Copies more calls straight into the store until it holds the search corpus. */
    private void fillTo(BenchmarkCorpus corpus, int target) throws Exception {
        long stored = count("SELECT count(*) FROM segments");
        int call = 0;
        Instant start = Instant.now().minus(Duration.ofDays(30));
        long t0 = System.nanoTime();
        long copied = 0;
        while (stored < target) {
            List<SegmentRow> rows = new ArrayList<>();
            List<String> sessions = new ArrayList<>();
            for (int i = 0; i < 40 && stored + rows.size() < target; i++, call++) {
                List<TranscriptSegment> lines = corpus.call("fill-" + call, LINES_PER_CALL, start.plusSeconds(call * 90L));
                lines.forEach(l -> rows.add(mapper.toRow(l)));
                sessions.add(lines.getFirst().getSessionId() + "\t" + lines.getFirst().getRoom() + "\t" + start.plusSeconds(call * 90L) + "\n");
            }
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                var copy = connection.unwrap(PGConnection.class).getCopyAPI();
                copy.copyIn("COPY sessions (session_id, room, started_at) FROM STDIN", new StringReader(String.join("", sessions)));
                copy.copyIn("COPY segments (" + SegmentWriter.COLUMNS + ") FROM STDIN", new StringReader(SegmentWriter.copyText(rows)));
                connection.commit();
            }
            stored += rows.size();
            copied += rows.size();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            connection.setNetworkTimeout(Runnable::run, 0); // a million lines: longer than the service's socket timeout
            statement.execute("VACUUM ANALYZE segments");
            statement.execute("VACUUM ANALYZE sessions");
        }
        results.put("search corpus", String.format("%,d lines in %,d sessions (%,d copied in %.0f s)", count("SELECT count(*) FROM segments"),
                count("SELECT count(*) FROM sessions"), copied, seconds));
        results.put("database size", querySingle("SELECT pg_size_pretty(pg_database_size(current_database()))"));
    }

    private void transcriptLatency(String room, int calls) throws Exception {
        URI json = base.toURI().resolve("v1/sessions/" + room + "/transcript");
        String body = get(json, "application/json");
        assertThat(body).contains("\"segments\"");
        long[] latencies = measure(List.of(json), 100, 1000, "application/json");
        results.put("transcript fetch, one-hour call (1200 lines, JSON, " + body.length() / 1024 + " KiB)", percentiles(latencies) + " (goal p99 < 10 ms)");
        // The same fetch of transcripts nobody fetched before: rendered from the database, not kept yet.
        List<URI> firstFetches = new ArrayList<>();
        for (int c = 1; c < calls; c++) {
            firstFetches.add(base.toURI().resolve("v1/sessions/bench-" + c + "/transcript"));
        }
        if (!firstFetches.isEmpty()) {
            results.put("  first fetch of each other call (not kept yet)", percentiles(measure(firstFetches, 0, firstFetches.size(), "application/json")));
        }
        long[] text = measure(List.of(base.toURI().resolve("v1/sessions/" + room + "/transcript?format=text")), 50, 500, "text/plain");
        results.put("transcript fetch, one-hour call, text", percentiles(text));
        long[] small = measure(List.of(base.toURI().resolve("v1/sessions/" + room)), 50, 500, "application/json");
        results.put("  for comparison: GET /v1/sessions/{room}", percentiles(small));
        // Where the time goes: the database read alone (query and row mapping), in this JVM.
        UUID sessionId = UUID.fromString(querySingle("SELECT session_id FROM sessions WHERE room = '" + room + "'"));
        long[] read = new long[500];
        for (int i = -100; i < read.length; i++) {
            long t0 = System.nanoTime();
            transcripts.segments(sessionId);
            if (i >= 0) {
                read[i] = System.nanoTime() - t0;
            }
        }
        results.put("  of which the database read", percentiles(read));
        var session = transcripts.session(room, sessionId).orElseThrow();
        var segments = transcripts.segments(sessionId);
        long[] write = new long[500];
        for (int i = -100; i < write.length; i++) {
            long t0 = System.nanoTime();
            objectMapper.writeValueAsBytes(new TranscriptViews.TranscriptView(TranscriptViews.SessionView.of(session, (long) segments.size()),
                    segments.stream().map(TranscriptViews.SegmentView::of).toList()));
            if (i >= 0) {
                write[i] = System.nanoTime() - t0;
            }
        }
        results.put("  of which writing the JSON", percentiles(write));
    }

    private void searchLatency(BenchmarkCorpus corpus) throws Exception {
        Random random = new Random(7);
        Map<String, List<URI>> classes = new LinkedHashMap<>();
        List<URI> rare = new ArrayList<>();
        List<URI> domain = new ArrayList<>();
        List<URI> twoWords = new ArrayList<>();
        List<URI> phrases = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            rare.add(search(corpus.rareWord(random.nextInt(RARE_WORDS))));
            domain.add(search(corpus.domainWord(random.nextInt(BenchmarkCorpus.DOMAIN.length))));
            twoWords.add(search(corpus.domainWord(random.nextInt(BenchmarkCorpus.DOMAIN.length)) + " "
                    + corpus.domainWord(random.nextInt(BenchmarkCorpus.DOMAIN.length))));
            String[] phrase = BenchmarkCorpus.PHRASES[random.nextInt(BenchmarkCorpus.PHRASES.length)];
            phrases.add(search("\"" + phrase[0] + " " + phrase[1] + "\""));
        }
        classes.put("rare word", rare);
        classes.put("support word (Zipf-distributed: 0.1% to 15% of lines)", domain);
        classes.put("two support words", twoWords);
        classes.put("phrase", phrases);
        List<URI> all = classes.values().stream().flatMap(List::stream).toList();
        measure(all, 200, 0, "application/json");
        List<Long> overall = new ArrayList<>();
        for (var entry : classes.entrySet()) {
            long[] latencies = measure(entry.getValue(), 0, 300, "application/json");
            Arrays.stream(latencies).forEach(overall::add);
            results.put("search: " + entry.getKey(), percentiles(latencies));
        }
        results.put("search: all queries (first page of 50)", percentiles(overall.stream().mapToLong(Long::longValue).toArray()) + " (goal p99 < 50 ms)");
        results.put("search: lines matching the most frequent support word", querySingle(
                "SELECT count(*) FROM segments WHERE tsv @@ websearch_to_tsquery('english', '" + BenchmarkCorpus.DOMAIN[0] + "')"));
    }

    private URI search(String query) throws Exception {
        return base.toURI().resolve("v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    /**
     * Runs the URIs round robin: warm-up requests first (not measured), then the measured ones; nanoseconds from
     * sending the request to having the whole body (as bytes: decoding it is the client's business).
     */
    private long[] measure(List<URI> uris, int warmUp, int measured, String accept) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            receive(uris.get(i % uris.size()), accept);
        }
        long[] latencies = new long[measured];
        for (int i = 0; i < measured; i++) {
            long t0 = System.nanoTime();
            receive(uris.get(i % uris.size()), accept);
            latencies[i] = System.nanoTime() - t0;
        }
        return latencies;
    }

    private void receive(URI uri, String accept) throws Exception {
        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).header("Accept", accept).header("Authorization", TestTokens.bearer(TestTokens.admin())).build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200 || response.body().length == 0) {
            throw new AssertionError(uri + " answered " + response.statusCode());
        }
    }

    private String get(URI uri, String accept) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).header("Accept", accept).header("Authorization", TestTokens.bearer(TestTokens.admin())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", at(sorted, 0.50), at(sorted, 0.99),
                sorted[sorted.length - 1] / 1e6, sorted.length);
    }

    private static double at(long[] sorted, double quantile) {
        return sorted[(int) Math.ceil(quantile * sorted.length) - 1] / 1e6;
    }

    private double counter(String topic) {
        Counter counter = metrics.find("switchboard.transcripts.ingest.records").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }

    private long count(String sql) throws Exception {
        return Long.parseLong(querySingle(sql));
    }

    private String querySingle(String sql) throws Exception {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rs = statement.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    private String databaseVersion() throws Exception {
        return querySingle("SELECT 'PostgreSQL ' || current_setting('server_version')");
    }

    private interface Condition {
        boolean met() throws Exception;
    }

    private static void waitFor(Condition condition, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.met()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + timeout);
            }
            Thread.sleep(5);
        }
    }

}
