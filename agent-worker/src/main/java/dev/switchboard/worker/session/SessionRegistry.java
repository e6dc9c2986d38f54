package dev.switchboard.worker.session;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.Transport;
import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.worker.concurrent.Timers;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.tools.Toolbox;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The sessions this worker runs, by room. Starting a session announces it; an ended session leaves the registry. */
@ApplicationScoped
@Startup // created before the worker registers with LiveKit: a call must not be the first to need it
public class SessionRegistry {
    private static final Logger LOG = Logger.getLogger(SessionRegistry.class);

    /**
     * How a new session starts: the room, its instructions (null for the default), the call's details and the tenant
     * the call belongs to (null: {@link Tenants#DEFAULT}); its own maximum duration (null: the configured one); and for
     * a call placed by a DialRequested, that command's id (null otherwise), which SessionStarted reports so that the
     * dial and its session can be matched.
     */
    public record StartRequest(String room, String instructions, CallTransport transport, CallDirection direction,
                               String callerNumber, String calleeNumber, Map<String, String> metadata, String tenant,
                               Duration maxDuration, String dialCommandId) {
        public StartRequest {
            tenant = Tenants.orDefault(tenant);
            dialCommandId = dialCommandId == null || dialCommandId.isBlank() ? null : dialCommandId;
        }

        /** A call nobody dialled through the call controller. */
        public StartRequest(String room, String instructions, CallTransport transport, CallDirection direction,
                            String callerNumber, String calleeNumber, Map<String, String> metadata, String tenant,
                            Duration maxDuration) {
            this(room, instructions, transport, direction, callerNumber, calleeNumber, metadata, tenant, maxDuration, null);
        }

        /** A call with the configured maximum duration. */
        public StartRequest(String room, String instructions, CallTransport transport, CallDirection direction,
                            String callerNumber, String calleeNumber, Map<String, String> metadata, String tenant) {
            this(room, instructions, transport, direction, callerNumber, calleeNumber, metadata, tenant, null);
        }

        /** A call of the default tenant. */
        public StartRequest(String room, String instructions, CallTransport transport, CallDirection direction,
                            String callerNumber, String calleeNumber, Map<String, String> metadata) {
            this(room, instructions, transport, direction, callerNumber, calleeNumber, metadata, Tenants.DEFAULT);
        }
    }

    private final Map<String, AgentSession> sessions = new ConcurrentHashMap<>();
    private final MeterRegistry metrics;
    private final LlmClient llm;
    private final SessionPublisher publisher;
    private final AgentSettings settings;
    private final WorkerIdentity worker;
    private final Toolbox tools;
    private final Clock clock;
    private final ScheduledExecutorService timers;
    private final Event<SessionsChanged> changed;

    SessionRegistry(LlmClient llm, Toolbox tools, SessionPublisher publisher, AgentSettings settings, WorkerIdentity worker,
                    MeterRegistry metrics, Clock clock, @Timers ScheduledExecutorService timers, Event<SessionsChanged> changed) {
        this.llm = llm;
        this.tools = tools;
        this.publisher = publisher;
        this.settings = settings;
        this.worker = worker;
        this.metrics = metrics;
        this.clock = clock;
        this.timers = timers;
        this.changed = changed;
        metrics.gaugeMapSize("switchboard.worker.sessions.active", List.of(), sessions);
    }

    /**
     * Starts a session and announces it; completes when SessionStarted was acknowledged.
     *
     * @throws RoomBusyException when this worker already runs a session in the room
     */
    public CompletableFuture<AgentSession> start(StartRequest request) {
        String sessionId = UUID.randomUUID().toString();
        var identity = new AgentSession.Identity(request.room(), sessionId, worker.id(), settings.name(),
                clock.instant().truncatedTo(ChronoUnit.MILLIS), request.tenant());
        String instructions = request.instructions() == null || request.instructions().isBlank() ? settings.instructions() : request.instructions();
        var session = new AgentSession(identity, instructions, request.transport(), llm, tools, publisher, settings, clock, timers, this::forget);
        CallFacts.of(request).describe().ifPresent(session.chat()::knowTheCall);
        if (sessions.putIfAbsent(request.room(), session) != null) {
            throw new RoomBusyException(request.room());
        }
        changed.fire(new SessionsChanged(request.room())); // before SessionStarted: the heartbeat is sent first
        var started = SessionStarted.newBuilder()
                .setTransport(request.transport().kind())
                .setDirection(request.direction())
                .setAgentName(settings.name())
                .setWorkerId(worker.id())
                .setCallerNumber(request.callerNumber())
                .setCalleeNumber(request.calleeNumber())
                .setMetadata(withLlm(request.metadata()))
                .setTenant(request.tenant())
                .setDialCommandId(request.dialCommandId())
                .setCommandTopic(worker.ownCommandTopic().orElse(null))
                .build();
        return session.announce(started).toCompletableFuture()
                .thenApply(ignored -> {
                    LOG.infof("room %s: session %s started (%s, tenant %s, %s)", request.room(), sessionId, request.transport().kind(),
                            request.tenant(), llm.describe());
                    session.watchLimits(limitsFor(request));
                    return session;
                })
                .whenComplete((ok, error) -> {
                    if (error != null) {
                        endUnannounced(session, error);
                    }
                });
    }

    /**
     * Kafka did not acknowledge the SessionStarted in time, so the call is refused. The record may still reach the
     * broker once it answers again (the producer keeps it until its delivery timeout), and a session announced but
     * never ended would stay live everywhere: it is ended as any session is, its SessionEnded queued behind the
     * SessionStarted on the same partition, and it leaves the registry when its end is done.
     */
    private void endUnannounced(AgentSession session, Throwable error) {
        Throwable cause = AsyncFailures.cause(error);
        LOG.warnf("room %s: session %s was not started: %s", session.room(), session.sessionId(), cause.getMessage());
        session.end(EndReason.ERROR, new Issuer(IssuerKind.SYSTEM, worker.id(), null, null),
                "the session's start was not acknowledged by Kafka: " + cause.getMessage());
    }

    /**
     * The call's limits: the configured ones, its own maximum duration when it has one, and the silence timeout only for
     * voice calls (a simulated call's caller speaks through the API, with no audio to be silent in).
     */
    private CallLimits.Limits limitsFor(StartRequest request) {
        var configured = settings.limits();
        Duration maxDuration = request.maxDuration() != null ? request.maxDuration() : configured.maxDuration();
        Duration silence = request.transport().kind() == Transport.LIVEKIT ? configured.silenceTimeout() : Duration.ZERO;
        return new CallLimits.Limits(maxDuration, configured.closingLine(), silence, configured.silencePrompt(), configured.silenceGoodbye());
    }

    private Map<String, String> withLlm(Map<String, String> metadata) {
        var all = new HashMap<>(metadata == null ? Map.<String, String>of() : metadata);
        all.put("llm", llm.describe());
        return all;
    }

    public Optional<AgentSession> find(String room) {
        return Optional.ofNullable(sessions.get(room));
    }

    public boolean runs(String room) {
        return sessions.containsKey(room);
    }

    public Collection<AgentSession> all() {
        return List.copyOf(sessions.values());
    }

    private void forget(AgentSession session) {
        if (sessions.remove(session.room(), session)) {
            changed.fire(new SessionsChanged(session.room()));
        }
        recordUsage(session.usage());
    }

    /** Usage of ended sessions on /q/metrics, for cost dashboards (the same figures as in SessionEnded). */
    private void recordUsage(dev.switchboard.events.Usage usage) {
        metrics.counter("switchboard.worker.sessions.ended").increment();
        metrics.counter("switchboard.worker.usage.llm.requests").increment(usage.getLlmRequests());
        metrics.counter("switchboard.worker.usage.llm.tokens", "kind", "prompt").increment(usage.getLlmPromptTokens());
        metrics.counter("switchboard.worker.usage.llm.tokens", "kind", "completion").increment(usage.getLlmCompletionTokens());
        metrics.counter("switchboard.worker.usage.stt.audio.seconds").increment(usage.getSttAudioSeconds());
        metrics.counter("switchboard.worker.usage.tts.characters").increment(usage.getTtsCharacters());
        metrics.counter("switchboard.worker.usage.tts.audio.seconds").increment(usage.getTtsAudioSeconds());
    }

    /** On shutdown every running session ends (WORKER_SHUTDOWN) and reports it, so no session is left open in the records. */
    void onShutdown(@Observes ShutdownEvent event) {
        var endings = sessions.values().stream()
                .map(s -> s.end(EndReason.WORKER_SHUTDOWN, new Issuer(IssuerKind.SYSTEM, worker.id(), null, null), "worker shutting down"))
                .toArray(CompletableFuture[]::new);
        try {
            CompletableFuture.allOf(endings).get(settings.flushTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warnf("not every session ended within %d ms on shutdown (their ends wait for Kafka's acknowledgement)",
                    settings.flushTimeout().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while the sessions ended on shutdown");
        } catch (ExecutionException e) {
            LOG.warnf("not every session ended cleanly on shutdown: %s", AsyncFailures.cause(e.getCause()).getMessage());
        }
    }
}
