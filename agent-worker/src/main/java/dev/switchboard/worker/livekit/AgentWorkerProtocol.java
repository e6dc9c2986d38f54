package dev.switchboard.worker.livekit;

import dev.switchboard.worker.concurrent.WorkerThreads;
import livekit.LivekitAgent;
import livekit.LivekitAgent.AvailabilityResponse;
import livekit.LivekitAgent.JobStatus;
import livekit.LivekitAgent.ServerMessage;
import livekit.LivekitAgent.UpdateJobStatus;
import livekit.LivekitAgent.UpdateWorkerStatus;
import livekit.LivekitAgent.WorkerMessage;
import livekit.LivekitAgent.WorkerStatus;
import org.jboss.logging.Logger;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * LiveKit's agent worker protocol: register at {@code /agent}, answer availability (declining when full or
 * draining), accept assignments and run them, report job status and load, honour terminations, and reconnect
 * with backoff when the connection drops, without touching the calls in progress (they run in their rooms, not
 * over this connection).
 */
public final class AgentWorkerProtocol {
    private static final Logger LOG = Logger.getLogger(AgentWorkerProtocol.class);
    private static final String VERSION = "switchboard-0.1.0";

    private final LiveKitSettings settings;
    private final JobRunner runner;
    private final String workerIdentity;
    private final URI endpoint;
    private final HttpClient http = WorkerThreads.httpClient("livekit-agent-http").build();
    private final ScheduledExecutorService ticker = WorkerThreads.scheduler("livekit-status");
    private final Map<String, JobRunner.RunningJob> jobs = new ConcurrentHashMap<>();
    /** Jobs this worker said yes to and whose assignment has not come yet, with when it said yes. */
    private final Map<String, Long> promised = new ConcurrentHashMap<>();
    private static final long PROMISE_MILLIS = 30_000;

    private volatile AgentServerLink link;
    private volatile String workerId;
    private volatile boolean draining;
    private volatile boolean stopping;
    private volatile CompletableFuture<String> registered = new CompletableFuture<>();
    private Thread connector;

    public AgentWorkerProtocol(LiveKitSettings settings, JobRunner runner, String workerIdentity) {
        this.settings = settings;
        this.runner = runner;
        this.workerIdentity = workerIdentity;
        this.endpoint = AgentTokens.agentEndpoint(settings.url().orElseThrow());
    }

    /** Connects (and keeps reconnecting) in the background. */
    public synchronized void start() {
        if (connector == null) {
            connector = WorkerThreads.start("livekit-agent-connection", this::connectLoop);
            long period = settings.statusInterval().toMillis();
            ticker.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Completes with the worker id once registered (on the current connection, or the next one while disconnected). */
    public CompletableFuture<String> registered() {
        return registered;
    }

    public int runningJobs() {
        return jobs.size();
    }

    private void connectLoop() {
        long delayMs = 1000;
        while (!stopping) {
            boolean wasRegistered = false;
            try {
                CompletableFuture<String> registration = registered;
                String reason = connectOnce();
                wasRegistered = registration.isDone();
                if (!stopping) {
                    LOG.warnf("lost the LiveKit agent connection: %s", reason);
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!stopping) {
                    LOG.warnf("cannot connect to LiveKit at %s: %s", endpoint, rootMessage(e));
                }
            }
            if (stopping) {
                return;
            }
            delayMs = wasRegistered ? 1000 : Math.min(delayMs * 2, settings.maxReconnectDelay().toMillis());
            long jittered = delayMs / 2 + ThreadLocalRandom.current().nextLong(delayMs / 2 + 1);
            try {
                Thread.sleep(jittered);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One connection: returns the reason it ended. */
    private String connectOnce() throws InterruptedException, ExecutionException, TimeoutException {
        String token = AgentTokens.workerToken(settings.apiKey().orElseThrow(), settings.apiSecret().orElseThrow(), workerIdentity);
        AgentServerLink opened = AgentServerLink.open(http, endpoint, token, this::onMessage).get(15, TimeUnit.SECONDS);
        link = opened;
        opened.send(WorkerMessage.newBuilder().setRegister(LivekitAgent.RegisterWorkerRequest.newBuilder()
                .setType(LivekitAgent.JobType.JT_ROOM)
                .setAgentName(settings.agentName().orElse(""))
                .setVersion(VERSION)
                .setPingInterval((int) settings.statusInterval().toSeconds())
                .build()).build());
        try {
            return opened.closed().get();
        } finally {
            link = null;
            if (registered.isDone()) {
                registered = new CompletableFuture<>(); // the next connection registers anew
            }
        }
    }

    void onMessage(ServerMessage message) {
        switch (message.getMessageCase()) {
            case REGISTER -> {
                workerId = message.getRegister().getWorkerId();
                LOG.infof("registered with LiveKit as worker %s (agent name '%s')", workerId, settings.agentName().orElse(""));
                registered.complete(workerId);
                sendStatus();
            }
            case AVAILABILITY -> answerAvailability(message.getAvailability());
            case ASSIGNMENT -> startJob(message.getAssignment());
            case TERMINATION -> {
                JobRunner.RunningJob job = jobs.get(message.getTermination().getJobId());
                if (job != null) {
                    LOG.infof("LiveKit terminates job %s", job.jobId());
                    job.terminate().run();
                }
            }
            case PONG -> {
                // The server is alive; nothing else to do.
            }
            default -> LOG.debugf("ignoring %s from the agent server", message.getMessageCase());
        }
    }

    private void answerAvailability(LivekitAgent.AvailabilityRequest request) {
        String jobId = request.getJob().getId();
        boolean available = !full() && runner.ready();
        if (available) {
            promised.put(jobId, System.currentTimeMillis());
        }
        AvailabilityResponse.Builder response = AvailabilityResponse.newBuilder().setJobId(jobId).setAvailable(available);
        if (available) {
            response.setParticipantIdentity("agent-" + jobId)
                    .setParticipantName(settings.agentName().orElse("Switchboard agent"));
        }
        send(WorkerMessage.newBuilder().setAvailability(response).build());
        LOG.debugf("job %s in room %s: %s", jobId, request.getJob().getRoom().getName(), available ? "accepted" : "declined");
    }

    private void startJob(LivekitAgent.JobAssignment assignment) {
        LivekitAgent.Job job = assignment.getJob();
        promised.remove(job.getId());
        String url = assignment.hasUrl() && !assignment.getUrl().isBlank() ? assignment.getUrl() : settings.url().orElseThrow();
        JobRunner.RunningJob running;
        try {
            running = runner.start(job, url, assignment.getToken());
        } catch (RuntimeException e) {
            LOG.errorf(e, "job %s could not start", job.getId());
            sendJobStatus(job.getId(), JobStatus.JS_FAILED, rootMessage(e));
            return;
        }
        jobs.put(job.getId(), running);
        sendStatus();
        running.started().thenRun(() -> sendJobStatus(job.getId(), JobStatus.JS_RUNNING, ""));
        running.ended().whenComplete((ok, error) -> {
            jobs.remove(job.getId());
            sendJobStatus(job.getId(), error == null ? JobStatus.JS_SUCCESS : JobStatus.JS_FAILED, error == null ? "" : rootMessage(error));
            sendStatus();
        });
    }

    private void heartbeat() {
        send(WorkerMessage.newBuilder().setPing(LivekitAgent.WorkerPing.newBuilder().setTimestamp(System.currentTimeMillis())).build());
        sendStatus();
    }

    private void sendStatus() {
        send(WorkerMessage.newBuilder().setUpdateWorker(UpdateWorkerStatus.newBuilder()
                .setStatus(full() ? WorkerStatus.WS_FULL : WorkerStatus.WS_AVAILABLE)
                .setLoad((float) Math.min(1.0, load()))
                .setJobCount(jobs.size())).build());
    }

    /** Calls running or promised (accepted, not yet assigned) over the most this worker takes. */
    private double load() {
        // LiveKit gave a job this worker accepted to another worker: the promise lapses.
        long now = System.currentTimeMillis();
        promised.values().removeIf(at -> now - at > PROMISE_MILLIS);
        return (jobs.size() + promised.size()) / (double) settings.maxSessions();
    }

    /** Full: draining, at the configured load, or at the session limit. A full worker declines new calls. */
    private boolean full() {
        return draining || load() >= settings.fullLoad() || jobs.size() + promised.size() >= settings.maxSessions();
    }

    private void sendJobStatus(String jobId, JobStatus status, String error) {
        send(WorkerMessage.newBuilder().setUpdateJob(UpdateJobStatus.newBuilder().setJobId(jobId).setStatus(status).setError(error)).build());
    }

    private void send(WorkerMessage message) {
        AgentServerLink current = link;
        if (current != null) {
            current.send(message);
        }
    }

    /**
     * Stops taking calls (reports full, declines availability), waits for the running ones to finish up to the
     * drain timeout, then disconnects. Returns the number of calls still running when it gave up waiting.
     */
    public int drainAndStop() {
        draining = true;
        sendStatus();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (!jobs.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int left = jobs.size();
        stop();
        return left;
    }

    /** Disconnects at once. */
    public synchronized void stop() {
        stopping = true;
        ticker.shutdownNow();
        AgentServerLink current = link;
        if (current != null) {
            current.close();
        }
        if (connector != null) {
            connector.interrupt();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
