package dev.switchboard.worker.livekit;

import livekit.LivekitAgent;
import livekit.LivekitModels;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The worker protocol against a fake /agent endpoint that speaks LiveKit's protobuf over a real WebSocket. */
class AgentWorkerProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String KEY = "api-key";
    private static final String SECRET = "api-secret-with-enough-length-for-hs256";

    private FakeAgentServer server;
    private AgentWorkerProtocol protocol;
    private final ScriptedRunner runner = new ScriptedRunner();

    @AfterEach
    void stop() {
        if (protocol != null) {
            protocol.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private AgentWorkerProtocol start(int maxSessions, String secret) throws Exception {
        server = new FakeAgentServer(KEY, SECRET);
        protocol = new AgentWorkerProtocol(new TestSettings(server.url(), secret, maxSessions), runner, "worker-test");
        protocol.start();
        return protocol;
    }

    @Test
    void registersAsARoomAgentWithAValidAgentToken() throws Exception {
        start(4, SECRET);

        assertThat(protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("W-1");
        var register = server.await(LivekitAgent.WorkerMessage::hasRegister, WAIT).getRegister();
        assertThat(register.getType()).isEqualTo(LivekitAgent.JobType.JT_ROOM);
        assertThat(register.getAgentName()).isEqualTo("support");
        var status = server.await(LivekitAgent.WorkerMessage::hasUpdateWorker, WAIT).getUpdateWorker();
        assertThat(status.getStatus()).isEqualTo(LivekitAgent.WorkerStatus.WS_AVAILABLE);
    }

    @Test
    void aWrongSecretIsRefusedAndRetriedWithoutRegistering() throws Exception {
        start(4, "not-the-secret-but-long-enough-for-hs256");
        Thread.sleep(2500);
        assertThat(server.rejectedConnections()).isGreaterThanOrEqualTo(1);
        assertThat(server.registrations()).isZero();
    }

    @Test
    void acceptsAJobRunsItReportsItsStatusAndHonoursTermination() throws Exception {
        start(4, SECRET);
        protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS);

        server.send(availability("J1", "room-a"));
        var answer = server.await(m -> m.hasAvailability() && m.getAvailability().getJobId().equals("J1"), WAIT).getAvailability();
        assertThat(answer.getAvailable()).isTrue();
        assertThat(answer.getParticipantIdentity()).isEqualTo("agent-J1");

        server.send(LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job("J1", "room-a")).setToken("room-token")).build());
        server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_RUNNING, WAIT);
        assertThat(runner.tokens).containsEntry("J1", "room-token");
        assertThat(runner.urls.get("J1")).isEqualTo(server.url()); // no URL in the assignment: the configured one
        assertThat(protocol.runningJobs()).isEqualTo(1);

        server.send(LivekitAgent.ServerMessage.newBuilder().setTermination(LivekitAgent.JobTermination.newBuilder().setJobId("J1")).build());
        server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_SUCCESS, WAIT);
        assertThat(protocol.runningJobs()).isZero();
    }

    @Test
    void aJobThatFailsToStartIsReportedFailed() throws Exception {
        start(4, SECRET);
        protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS);
        runner.failNextStart = true;

        server.send(LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job("J9", "room-z")).setToken("t")).build());

        var failed = server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_FAILED, WAIT).getUpdateJob();
        assertThat(failed.getError()).contains("cannot join");
    }

    @Test
    void declinesWhenFullAndReportsFull() throws Exception {
        start(1, SECRET);
        protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS);
        server.send(availability("J1", "room-a"));
        server.await(m -> m.hasAvailability() && m.getAvailability().getJobId().equals("J1"), WAIT);
        server.send(LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job("J1", "room-a")).setToken("t")).build());
        server.await(m -> m.hasUpdateWorker() && m.getUpdateWorker().getStatus() == LivekitAgent.WorkerStatus.WS_FULL, WAIT);

        server.send(availability("J2", "room-b"));
        var answer = server.await(m -> m.hasAvailability() && m.getAvailability().getJobId().equals("J2"), WAIT).getAvailability();
        assertThat(answer.getAvailable()).isFalse();
    }

    @Test
    void reconnectsAfterTheServerDropsTheConnectionWithoutDroppingCalls() throws Exception {
        start(4, SECRET);
        protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS);
        server.send(LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job("J1", "room-a")).setToken("t")).build());
        server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_RUNNING, WAIT);

        server.dropConnection();

        long deadline = System.currentTimeMillis() + 10_000;
        while (server.registrations() < 2 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(server.registrations()).isEqualTo(2);
        assertThat(runner.ended.get("J1").isDone()).as("the call kept running").isFalse();
        assertThat(protocol.runningJobs()).isEqualTo(1);
    }

    @Test
    void drainingDeclinesNewCallsAndWaitsForRunningOnes() throws Exception {
        start(4, SECRET);
        protocol.registered().get(10, java.util.concurrent.TimeUnit.SECONDS);
        server.send(LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job("J1", "room-a")).setToken("t")).build());
        server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_RUNNING, WAIT);

        var draining = CompletableFuture.supplyAsync(protocol::drainAndStop);
        server.await(m -> m.hasUpdateWorker() && m.getUpdateWorker().getStatus() == LivekitAgent.WorkerStatus.WS_FULL, WAIT);
        server.send(availability("J2", "room-b"));
        assertThat(server.await(m -> m.hasAvailability() && m.getAvailability().getJobId().equals("J2"), WAIT).getAvailability().getAvailable()).isFalse();
        assertThat(draining).isNotDone();

        runner.ended.get("J1").complete(null); // the call finishes
        assertThat(draining.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
        server.await(m -> m.hasUpdateJob() && m.getUpdateJob().getStatus() == LivekitAgent.JobStatus.JS_SUCCESS, WAIT);
    }

    private static LivekitAgent.ServerMessage availability(String jobId, String room) {
        return LivekitAgent.ServerMessage.newBuilder().setAvailability(LivekitAgent.AvailabilityRequest.newBuilder().setJob(job(jobId, room))).build();
    }

    private static LivekitAgent.Job job(String id, String room) {
        return LivekitAgent.Job.newBuilder().setId(id).setType(LivekitAgent.JobType.JT_ROOM)
                .setRoom(LivekitModels.Room.newBuilder().setName(room)).build();
    }

    /** Jobs that start at once and end when the test or a termination says so. */
    private static final class ScriptedRunner implements JobRunner {
        final Map<String, String> tokens = new ConcurrentHashMap<>();
        final Map<String, String> urls = new ConcurrentHashMap<>();
        final Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
        volatile boolean failNextStart;

        @Override
        public boolean ready() {
            return true;
        }

        @Override
        public RunningJob start(LivekitAgent.Job job, String url, String token) {
            if (failNextStart) {
                failNextStart = false;
                throw new IllegalStateException("cannot join room " + job.getRoom().getName());
            }
            tokens.put(job.getId(), token);
            urls.put(job.getId(), url);
            CompletableFuture<Void> end = new CompletableFuture<>();
            ended.put(job.getId(), end);
            return new RunningJob(job.getId(), CompletableFuture.completedFuture(null), end, () -> end.complete(null));
        }
    }

    private record TestSettings(String livekitUrl, String secret, int maxSessions) implements LiveKitSettings {
        @Override
        public Optional<String> url() {
            return Optional.of(livekitUrl);
        }

        @Override
        public Optional<String> apiKey() {
            return Optional.of(KEY);
        }

        @Override
        public Optional<String> apiSecret() {
            return Optional.of(secret);
        }

        @Override
        public Optional<String> agentName() {
            return Optional.of("support");
        }

        @Override
        public double fullLoad() {
            return 0.9;
        }

        @Override
        public Duration drainTimeout() {
            return Duration.ofSeconds(20);
        }

        @Override
        public Duration statusInterval() {
            return Duration.ofMillis(500);
        }

        @Override
        public Duration maxReconnectDelay() {
            return Duration.ofSeconds(2);
        }
    }
}
