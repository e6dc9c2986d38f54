package dev.switchboard.testing.sfu;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import livekit.LivekitAgent;
import livekit.LivekitModels;

/**
 * LiveKit's {@code /agent} endpoint, as the server runs it: agent workers connect over a WebSocket (binary
 * protobuf, {@code WorkerMessage} in, {@code ServerMessage} out, a token with the {@code video.agent} grant),
 * register, and are offered jobs. A job is offered with an availability request; a worker that accepts gets the
 * assignment with a room token the SFU minted for it, then reports the job's status ({@code JS_RUNNING},
 * {@code JS_SUCCESS}, {@code JS_FAILED}).
 *
 * <p>Dispatch: automatic to workers registered without an agent name when the room is created (LiveKit's default),
 * or explicit to a named agent through the control API (what {@code AgentDispatchService/CreateDispatch} does).
 * The first worker that accepts gets the job; one that declines is passed over.
 */
final class AgentDispatch {
    private static final System.Logger LOG = System.getLogger(AgentDispatch.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A registered worker. */
    private static final class Worker {
        final String id;
        final String agentName;
        final String version;
        final WebSocket ws;
        volatile boolean connected = true;
        volatile String status = "";
        volatile float load;
        volatile int jobCount;
        volatile int pings;

        Worker(String id, String agentName, String version, WebSocket ws) {
            this.id = id;
            this.agentName = agentName;
            this.version = version;
            this.ws = ws;
        }
    }

    /** A job offered to workers, with the statuses it went through. */
    private static final class Job {
        final LivekitAgent.Job proto;
        final List<String> candidates;
        final List<String> statuses = new ArrayList<>();
        String workerId;
        String participantIdentity;
        String error = "";

        Job(LivekitAgent.Job proto, List<String> candidates) {
            this.proto = proto;
            this.candidates = new ArrayList<>(candidates);
        }
    }

    private final FakeSfu sfu;
    private final Map<String, Worker> workers = new LinkedHashMap<>(); // guarded by this
    private final Map<String, Job> jobs = new LinkedHashMap<>(); // guarded by this
    private int registrations;

    AgentDispatch(FakeSfu sfu) {
        this.sfu = sfu;
    }

    /** {@code GET /agent}: verifies the worker's token, upgrades, and reads its messages until it leaves. */
    void serve(MiniHttpServer.Exchange ex, String token) throws IOException {
        try {
            AccessTokens.verifyAgent(token, sfu.apiKey, sfu.apiSecret);
        } catch (AccessTokens.InvalidTokenException e) {
            sfu.event("http", "-", "refused /agent: 401 " + e.getMessage());
            ex.respondText(401, e.getMessage());
            return;
        }
        if (!ex.isWebSocketUpgrade()) {
            ex.respondText(400, "expected a WebSocket upgrade");
            return;
        }
        WebSocket ws = ex.upgradeToWebSocket();
        Worker worker = null;
        try {
            WebSocket.Message m;
            while ((m = ws.read()) != null) {
                if (!m.binary()) {
                    continue; // the fake speaks protobuf only; JSON frames are not used by the worker
                }
                LivekitAgent.WorkerMessage message;
                try {
                    message = LivekitAgent.WorkerMessage.parseFrom(m.data());
                } catch (InvalidProtocolBufferException e) {
                    sfu.event("in", "agent", "undecodable WorkerMessage");
                    continue;
                }
                if (message.hasRegister()) {
                    worker = register(ws, message.getRegister());
                } else if (worker != null) {
                    handle(worker, message);
                }
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "agent connection ended: {0}", e.getMessage());
        } finally {
            if (worker != null) {
                worker.connected = false;
                sfu.event("agent", worker.id, "disconnected");
            }
            ws.close();
        }
    }

    private Worker register(WebSocket ws, LivekitAgent.RegisterWorkerRequest request) throws IOException {
        Worker worker;
        synchronized (this) {
            worker = new Worker("AW_" + (++registrations) + FakeSfu.newSid("_"), request.getAgentName(), request.getVersion(), ws);
            workers.put(worker.id, worker);
        }
        sfu.event("agent", worker.id, "registered (agent name '" + worker.agentName + "', " + request.getType() + ")");
        send(worker, LivekitAgent.ServerMessage.newBuilder().setRegister(LivekitAgent.RegisterWorkerResponse.newBuilder()
                .setWorkerId(worker.id)
                .setServerInfo(LivekitModels.ServerInfo.newBuilder().setVersion(FakeSfu.SERVER_VERSION))).build());
        return worker;
    }

    private void handle(Worker worker, LivekitAgent.WorkerMessage message) throws IOException {
        switch (message.getMessageCase()) {
            case AVAILABILITY -> answered(worker, message.getAvailability());
            case UPDATE_JOB -> {
                var update = message.getUpdateJob();
                synchronized (this) {
                    Job job = jobs.get(update.getJobId());
                    if (job != null) {
                        job.statuses.add(update.getStatus().name());
                        if (!update.getError().isEmpty()) {
                            job.error = update.getError();
                        }
                    }
                }
                sfu.event("agent", worker.id, "job " + update.getJobId() + " " + update.getStatus()
                        + (update.getError().isEmpty() ? "" : ": " + update.getError()));
            }
            case UPDATE_WORKER -> {
                var status = message.getUpdateWorker();
                worker.status = status.getStatus().name();
                worker.load = status.getLoad();
                worker.jobCount = status.getJobCount();
            }
            case PING -> {
                worker.pings++;
                send(worker, LivekitAgent.ServerMessage.newBuilder().setPong(LivekitAgent.WorkerPong.newBuilder()
                        .setLastTimestamp(message.getPing().getTimestamp()).setTimestamp(System.currentTimeMillis())).build());
            }
            default -> sfu.event("agent", worker.id, "ignored " + message.getMessageCase());
        }
    }

    /** The room was created: automatic dispatch to the workers registered without an agent name. */
    void roomCreated(LivekitModels.Room room) {
        List<String> automatic;
        synchronized (this) {
            automatic = workers.values().stream().filter(w -> w.connected && w.agentName.isEmpty()).map(w -> w.id).toList();
        }
        if (!automatic.isEmpty()) {
            offer(room, "", "", automatic);
        }
    }

    /** Explicit dispatch (CreateDispatch): a job for the named agent in the room. Returns the job id, if a worker could be asked. */
    Optional<String> dispatch(LivekitModels.Room room, String agentName, String metadata) {
        List<String> named;
        synchronized (this) {
            named = workers.values().stream().filter(w -> w.connected && w.agentName.equals(agentName)).map(w -> w.id).toList();
        }
        if (named.isEmpty()) {
            sfu.event("agent", "-", "no worker registered as '" + agentName + "' for room " + room.getName());
            return Optional.empty();
        }
        return Optional.of(offer(room, agentName, metadata, named));
    }

    /** Asks the worker running a job to stop it (JobTermination). */
    boolean terminate(String jobId) {
        Worker worker;
        synchronized (this) {
            Job job = jobs.get(jobId);
            worker = job == null || job.workerId == null ? null : workers.get(job.workerId);
        }
        if (worker == null || !worker.connected) {
            return false;
        }
        send(worker, LivekitAgent.ServerMessage.newBuilder().setTermination(LivekitAgent.JobTermination.newBuilder().setJobId(jobId)).build());
        return true;
    }

    private String offer(LivekitModels.Room room, String agentName, String metadata, List<String> candidates) {
        LivekitAgent.Job proto = LivekitAgent.Job.newBuilder()
                .setId(FakeSfu.newSid("AJ_"))
                .setDispatchId(FakeSfu.newSid("AD_"))
                .setType(LivekitAgent.JobType.JT_ROOM)
                .setRoom(room)
                .setAgentName(agentName)
                .setMetadata(metadata)
                .build();
        Job job = new Job(proto, candidates);
        synchronized (this) {
            jobs.put(proto.getId(), job);
        }
        sfu.event("agent", "-", "job " + proto.getId() + " for room " + room.getName() + " (agent '" + agentName + "')");
        askNext(job);
        return proto.getId();
    }

    /** Offers the job to the next candidate, or records that nobody took it. */
    private void askNext(Job job) {
        Worker next;
        synchronized (this) {
            next = job.candidates.isEmpty() ? null : workers.get(job.candidates.removeFirst());
            if (next == null) {
                job.statuses.add("UNASSIGNED");
            }
        }
        if (next != null) {
            send(next, LivekitAgent.ServerMessage.newBuilder().setAvailability(LivekitAgent.AvailabilityRequest.newBuilder()
                    .setJob(job.proto)).build());
        }
    }

    private void answered(Worker worker, LivekitAgent.AvailabilityResponse response) {
        Job job;
        synchronized (this) {
            job = jobs.get(response.getJobId());
        }
        if (job == null) {
            return;
        }
        if (!response.getAvailable()) {
            sfu.event("agent", worker.id, "declined job " + job.proto.getId());
            askNext(job);
            return;
        }
        String identity = response.getParticipantIdentity().isEmpty() ? "agent-" + job.proto.getId() : response.getParticipantIdentity();
        synchronized (this) {
            job.workerId = worker.id;
            job.participantIdentity = identity;
            job.statuses.add("ASSIGNED");
        }
        String token = AccessTokens.mint(sfu.apiKey, sfu.apiSecret,
                AccessTokens.Grant.agent(identity, job.proto.getRoom().getName()));
        send(worker, LivekitAgent.ServerMessage.newBuilder().setAssignment(LivekitAgent.JobAssignment.newBuilder()
                .setJob(job.proto).setToken(token)).build());
    }

    private void send(Worker worker, LivekitAgent.ServerMessage message) {
        try {
            worker.ws.sendBinary(message.toByteArray());
        } catch (IOException e) {
            worker.connected = false;
            LOG.log(Level.WARNING, "sending to worker " + worker.id + " failed: " + e.getMessage());
        }
    }

    /** Workers and jobs, for {@code /control/state}. */
    synchronized ObjectNode describe() {
        ObjectNode n = JSON.createObjectNode();
        ArrayNode ws = n.putArray("workers");
        for (Worker w : workers.values()) {
            ws.addObject().put("id", w.id).put("agentName", w.agentName).put("version", w.version).put("connected", w.connected)
                    .put("status", w.status).put("load", w.load).put("jobCount", w.jobCount).put("pings", w.pings);
        }
        ArrayNode js = n.putArray("jobs");
        for (Job j : jobs.values()) {
            ObjectNode o = js.addObject().put("id", j.proto.getId()).put("room", j.proto.getRoom().getName())
                    .put("agentName", j.proto.getAgentName()).put("metadata", j.proto.getMetadata())
                    .put("workerId", j.workerId).put("participantIdentity", j.participantIdentity).put("error", j.error);
            o.set("statuses", JSON.valueToTree(j.statuses));
            o.put("status", j.statuses.isEmpty() ? "OFFERED" : j.statuses.getLast());
        }
        return n;
    }
}
