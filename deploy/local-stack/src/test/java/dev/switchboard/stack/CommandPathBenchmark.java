package dev.switchboard.stack;

import dev.switchboard.stack.CommandLoad.Inject;
import dev.switchboard.stack.CommandLoad.Result;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What steering a call costs next to the Kafka round trip it rides on, on the packaged stack ({@code ./switchboard
 * up}'s services, the stack's broker): a raw ping-pong (producer, a consumer that echoes to a second topic, a
 * consumer; the two hops a command and its result need) against {@code POST /v1/sessions/{room}/context} with
 * {@code respond: false} until it answers 200 APPLIED. Both run interleaved in one run, sequentially and with 64
 * concurrent clients, and print p50/p99 latency, throughput and CPU per operation (every process of the stack plus
 * this JVM, which holds the broker and the load generator). Not part of the normal build:
 *
 * <pre>mvn -B -ntp -pl deploy/local-stack verify -Pbenchmark -Dtest=CommandPathBenchmark</pre>
 */
@Tag("benchmark")
@ExtendWith(PackagedStack.Resolver.class)
class CommandPathBenchmark {
    private static final int CALLS = 20;
    private static final int SEQUENTIAL_ROUNDS = 1_000;
    private static final int CLIENTS = 64;
    private static final Duration CONCURRENT_RUN = Duration.ofSeconds(15);
    /** Unmeasured load first: the JIT compilers took ~40 % of each service's CPU in a run measured straight after the sequential rounds. */
    private static final Duration CONCURRENT_WARM_UP = Duration.ofSeconds(20);
    private static final String PING = "bench.ping";
    private static final String PONG = "bench.pong";

    @Test
    void injectToAppliedAgainstARawKafkaRoundTrip(PackagedStack packaged) throws Exception {
        LocalStack stack = packaged.stack;
        System.out.println("[benchmark] services traced (OTLP to the test's collector): " + (PackagedStack.tracing() ? "yes" : "no (-Dpackaged.tracing=off)"));
        List<String> rooms = CommandLoad.startSimulatedCalls(packaged, CALLS);
        String bearer = packaged.bearer();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
        Inject inject = new Inject(http, stack.url("context-gateway"), bearer, rooms);

        try (PingPong raw = new PingPong(stack.kafkaBootstrapServers())) {
            // Warm both paths up (JIT, connections, partition leaders) before measuring.
            for (int i = 0; i < 300; i++) {
                raw.roundTrip();
                inject.roundTrip(i);
            }

            // Sequential, interleaved: one raw round trip, then one command, so both see the same machine.
            long[] rawNanos = new long[SEQUENTIAL_ROUNDS];
            long[] injectNanos = new long[SEQUENTIAL_ROUNDS];
            // CPU is measured per concurrent run only: reading it around every operation would cost more than one.
            for (int i = 0; i < SEQUENTIAL_ROUNDS; i++) {
                rawNanos[i] = raw.roundTrip();
                injectNanos[i] = inject.roundTrip(i);
            }
            Result rawSeq = Result.of(rawNanos, Duration.ofNanos(Arrays.stream(rawNanos).sum()), Double.NaN);
            Result injectSeq = Result.of(injectNanos, Duration.ofNanos(Arrays.stream(injectNanos).sum()), Double.NaN);
            Cpu cpu = Cpu.of(stack);

            // 64 concurrent clients, raw first then the commands, each for the same time, each after an unmeasured
            // run of the same load: what is measured is the steady state a long-running service reaches, not its JIT.
            CommandLoad.concurrently(CLIENTS, CONCURRENT_WARM_UP, cpu::seconds, raw::roundTrip);
            Result rawConcurrent = CommandLoad.concurrently(CLIENTS, CONCURRENT_RUN, cpu::seconds, raw::roundTrip);
            AtomicLong counter = new AtomicLong();
            CommandLoad.concurrently(CLIENTS, CONCURRENT_WARM_UP, cpu::seconds, () -> inject.roundTrip(counter.incrementAndGet()));
            counter.set(0);
            Profiles profiles = Profiles.startIfAsked(stack);
            Map<String, Double> cpuBefore = cpu.byProcess();
            Result injectConcurrent = CommandLoad.concurrently(CLIENTS, CONCURRENT_RUN, cpu::seconds, () -> inject.roundTrip(counter.incrementAndGet()));
            Map<String, Double> cpuAfter = cpu.byProcess();
            profiles.dump();
            long commands = counter.get();
            cpuAfter.forEach((process, seconds) -> System.out.printf("[benchmark] CPU per command, %-28s %.3f ms%n", process,
                    (seconds - cpuBefore.getOrDefault(process, 0.0)) * 1000 / commands));

            String report = String.format("""

                    ==== benchmark: the command path against a raw Kafka round trip (%d calls running) ====
                    %-44s %9s %9s %12s %14s
                    %s
                    %s
                    %-44s %8.1fx %8.1fx
                    %s
                    %s
                    %-44s %8.1fx %8.1fx
                    inject failures (not 200 APPLIED): %d
                    """, CALLS, "", "p50 ms", "p99 ms", "ops/s", "CPU ms/op",
                    rawSeq.row("raw Kafka ping-pong, sequential"),
                    injectSeq.row("inject -> 200 APPLIED, sequential"),
                    "ratio, sequential", injectSeq.p50() / rawSeq.p50(), injectSeq.p99() / rawSeq.p99(),
                    rawConcurrent.row("raw Kafka ping-pong, " + CLIENTS + " clients"),
                    injectConcurrent.row("inject -> 200 APPLIED, " + CLIENTS + " clients"),
                    "ratio, " + CLIENTS + " clients", injectConcurrent.p50() / rawConcurrent.p50(),
                    injectConcurrent.p99() / rawConcurrent.p99(), inject.failures().get());
            System.out.println(report);
            assertThat(inject.failures().get()).as("commands that were not applied").isZero();
        }
    }

    /**
     * Kafka alone: a producer writes to {@code bench.ping}, an echo consumer writes each record to {@code bench.pong},
     * and a consumer hands it back to the waiting client. Producers are configured as the services' are (acks=all,
     * idempotent) with nothing lingering.
     */
    private static final class PingPong implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final byte[] payload = new byte[180]; // about an encoded InjectContext command
        private final CountDownLatch ready = new CountDownLatch(2);

        PingPong(String bootstrap) throws Exception {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                admin.createTopics(List.of(new NewTopic(PING, 3, (short) 1), new NewTopic(PONG, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            producer = new KafkaProducer<>(producerSettings(bootstrap), new StringSerializer(), new ByteArraySerializer());
            KafkaProducer<String, byte[]> echoProducer = new KafkaProducer<>(producerSettings(bootstrap), new StringSerializer(), new ByteArraySerializer());
            threads.add(Thread.ofPlatform().name("bench-echo").start(() -> consume(bootstrap, PING,
                    r -> echoProducer.send(new ProducerRecord<>(PONG, r.key(), r.value())), echoProducer)));
            threads.add(Thread.ofPlatform().name("bench-pong").start(() -> consume(bootstrap, PONG, r -> {
                CompletableFuture<Long> waiter = waiting.remove(r.key());
                if (waiter != null) {
                    waiter.complete(System.nanoTime());
                }
            }, null)));
            ready.await(30, TimeUnit.SECONDS);
            for (int i = 0; i < 50; i++) {
                roundTrip();
            }
        }

        long roundTrip() throws Exception {
            String key = UUID.randomUUID().toString();
            CompletableFuture<Long> pong = new CompletableFuture<>();
            waiting.put(key, pong);
            long t0 = System.nanoTime();
            producer.send(new ProducerRecord<>(PING, key, payload));
            return pong.get(30, TimeUnit.SECONDS) - t0;
        }

        private void consume(String bootstrap, String topic, java.util.function.Consumer<ConsumerRecord<String, byte[]>> handle,
                             KafkaProducer<?, ?> owned) {
            // Assigned partitions, no group: the consumer reads from the end as soon as it exists, no rebalance.
            Map<String, Object> settings = Map.of("bootstrap.servers", bootstrap, "enable.auto.commit", "false");
            try (var consumer = new KafkaConsumer<>(settings, new StringDeserializer(), new ByteArrayDeserializer())) {
                List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
                consumer.assign(partitions);
                consumer.seekToEnd(partitions);
                partitions.forEach(consumer::position);
                ready.countDown();
                while (running.get()) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                        handle.accept(r);
                    }
                }
            } finally {
                if (owned != null) {
                    owned.close();
                }
            }
        }

        private static Map<String, Object> producerSettings(String bootstrap) {
            return Map.of("bootstrap.servers", bootstrap, "acks", "all", "enable.idempotence", "true", "linger.ms", "0");
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(5_000);
            }
            producer.close();
        }
    }

    /**
     * With {@code -Dbenchmark.profile=DIR}, a Java Flight Recording of the gateway, the worker and the transcript service during the concurrent
     * commands, written to {@code DIR/<service>.jfr} (read it with {@code jfr view hot-methods FILE}).
     */
    private record Profiles(Map<String, Long> pids, String directory) {
        static Profiles startIfAsked(LocalStack stack) throws Exception {
            String directory = System.getProperty("benchmark.profile", "");
            Map<String, Long> pids = new java.util.HashMap<>();
            if (!directory.isBlank()) {
                for (String service : List.of("context-gateway", "agent-worker", "transcript-service")) {
                    long pid = stack.pid(service).orElseThrow();
                    pids.put(service, pid);
                    jcmd(pid, "JFR.start", "name=bench", "settings=profile");
                }
            }
            return new Profiles(pids, directory);
        }

        void dump() throws Exception {
            for (var service : pids.entrySet()) {
                String file = Path.of(directory).toAbsolutePath().resolve(service.getKey() + ".jfr").toString();
                jcmd(service.getValue(), "JFR.stop", "name=bench", "filename=" + file);
                System.out.println("[benchmark] profile of " + service.getKey() + ": " + file);
            }
        }

        private static void jcmd(long pid, String... command) throws Exception {
            List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid)));
            line.addAll(List.of(command));
            Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed: " + out);
            }
        }
    }

    /**
     * CPU time of every process of the stack (services, PostgreSQL) and of this JVM (broker, load generator).
     * PostgreSQL is not among this JVM's descendants ({@code pg_ctl} detaches it): its postmaster is found from the
     * data directory, and its backends are the postmaster's children.
     */
    private record Cpu(LocalStack stack) {
        static Cpu of(LocalStack stack) {
            return new Cpu(stack);
        }

        /** CPU seconds so far by process: each service, "postgres" and "broker + load generator" (this JVM). */
        Map<String, Double> byProcess() {
            Map<String, Double> cpu = new java.util.TreeMap<>();
            Map<Long, String> services = new java.util.HashMap<>();
            for (String service : List.of("context-gateway", "transcript-service", "call-controller", "agent-worker")) {
                stack.pid(service).ifPresent(pid -> services.put(pid, service));
            }
            cpu.put("broker + load generator", ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9);
            for (ProcessHandle p : ProcessHandle.current().descendants().toList()) {
                String name = services.getOrDefault(p.pid(), p.info().command().map(c -> Path.of(c).getFileName().toString()).orElse("other"));
                cpu.merge(name, seconds(p), Double::sum);
            }
            postgres().forEach(p -> cpu.merge("postgres", seconds(p), Double::sum));
            return cpu;
        }

        double seconds() {
            return byProcess().values().stream().mapToDouble(Double::doubleValue).sum();
        }

        private java.util.stream.Stream<ProcessHandle> postgres() {
            return dev.switchboard.infra.EmbeddedPostgresServer.runningOn(stack.settings().postgresData()).stream()
                    .flatMap(postmaster -> java.util.stream.Stream.concat(java.util.stream.Stream.of(postmaster), postmaster.children()));
        }

        private static double seconds(ProcessHandle process) {
            return process.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
        }
    }
}
