package dev.switchboard.worker.livekit;

import dev.switchboard.worker.session.CommandReach;
import dev.switchboard.worker.session.WorkerIdentity;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.common.annotation.Identifier;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Makes this worker a LiveKit agent when LIVEKIT_URL and its credentials are set: registers with the server
 * once the media engine and the voice pipeline are usable, and on shutdown stops taking calls, lets running
 * ones finish (up to the drain timeout) and only then lets the sessions end. Without LiveKit settings the
 * worker runs simulated calls only.
 */
@ApplicationScoped
@Readiness
public class LiveKitAgentService implements HealthCheck {
    private static final Logger LOG = Logger.getLogger(LiveKitAgentService.class);
    private static final Duration COMMANDS_WAIT = Duration.ofSeconds(30);

    private final LiveKitSettings settings;
    private final LiveKitCallRunner runner;
    private final WorkerIdentity worker;
    private final CommandReach commands;
    private volatile AgentWorkerProtocol protocol;
    private volatile String problem;
    private boolean stopping; // guarded by this

    LiveKitAgentService(LiveKitSettings settings, LiveKitCallRunner runner, WorkerIdentity worker,
                        @Identifier(CommandReach.NAME) CommandReach commands) {
        this.settings = settings;
        this.runner = runner;
        this.worker = worker;
        this.commands = commands;
    }

    /**
     * LIVEKIT_URL is first used when the worker registers, late and in a callback where a bad one would go unnoticed
     * (the worker would run, never registered); so it is checked before any other start-up work, as the token settings
     * are ({@code AuthSettings}), and stops the worker with one line naming it.
     */
    static void checkUrl(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event, LiveKitSettings settings) {
        if (settings.configured()) {
            AgentTokens.agentEndpoint(settings.url().orElseThrow());
        }
    }

    /** After the eager beans ({@code @Startup}) exist: registering is what lets LiveKit send a call. */
    void onStart(@Observes @Priority(ObserverMethod.DEFAULT_PRIORITY + 100) StartupEvent event) {
        if (!settings.configured()) {
            LOG.info("LiveKit is not configured (LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET): simulated calls only");
            return;
        }
        Optional<String> missing = runner.unavailable();
        if (missing.isPresent()) {
            problem = missing.get();
            LOG.errorf("LIVEKIT_URL is set, but this worker cannot take LiveKit calls: %s", problem);
            return;
        }
        // LiveKit may send a call as soon as the worker registers: not before its commands can reach it.
        commands.positioned().orTimeout(COMMANDS_WAIT.toSeconds(), TimeUnit.SECONDS).whenComplete((ready, error) -> {
            if (error != null) {
                LOG.warnf("the session-command consumer has no partitions after %d s; registering with LiveKit anyway",
                        COMMANDS_WAIT.toSeconds());
            }
            register();
        });
    }

    private synchronized void register() {
        if (protocol != null || stopping) {
            return;
        }
        protocol = new AgentWorkerProtocol(settings, runner, "switchboard-" + worker.id());
        protocol.start();
        LOG.infof("registering with LiveKit at %s as agent '%s'", settings.url().orElseThrow(), settings.agentName().orElse("(automatic dispatch)"));
    }

    /** Before the sessions are ended (they observe shutdown later): drain the calls in progress. */
    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        AgentWorkerProtocol running;
        synchronized (this) {
            stopping = true;
            running = protocol;
        }
        if (running != null) {
            LOG.infof("draining: declining new calls, waiting for %d running call(s)", running.runningJobs());
            int left = running.drainAndStop();
            if (left > 0) {
                LOG.warnf("%d call(s) still running after the drain timeout; ending them", left);
            }
        }
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("LiveKit agent worker");
        if (!settings.configured()) {
            return response.up().withData("livekit", "not configured: simulated calls only").build();
        }
        if (problem != null) {
            // Simulated calls and commands still work, and LiveKit dispatches nothing to a worker that never
            // registered: say what is missing rather than take the whole worker out of service.
            return response.up().withData("livekit", "unavailable: " + problem).build();
        }
        AgentWorkerProtocol running = protocol;
        boolean registered = running != null && running.registered().isDone();
        return response.status(running != null).withData("registered", registered)
                .withData("calls", running == null ? 0 : running.runningJobs()).build();
    }
}
