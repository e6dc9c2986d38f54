package dev.switchboard.worker.livekit;

import io.quarkus.runtime.Startup;
import dev.switchboard.livekit.ffi.FfiException;
import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.worker.session.AgentSettings;
import dev.switchboard.worker.session.SessionRegistry;
import dev.switchboard.worker.voice.VoiceStack;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import livekit.LivekitAgent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs LiveKit jobs as calls: one process-wide media engine, a {@link LiveKitCall} per job. Ready only when the
 * engine loads and the voice pipeline is configured; otherwise it says exactly what is missing.
 */
@ApplicationScoped
@Startup // created before the worker registers with LiveKit: a call must not be the first to need it
public class LiveKitCallRunner implements JobRunner {
    private final SessionRegistry sessions;
    private final VoiceStack voice;
    private final TenantResolver tenants;
    private final AgentSettings.Opener inboundOpener;
    private LiveKitEngine engine;
    private String engineProblem;

    LiveKitCallRunner(SessionRegistry sessions, VoiceStack voice, TenantResolver tenants, AgentSettings settings) {
        this.sessions = sessions;
        this.voice = voice;
        this.tenants = tenants;
        this.inboundOpener = settings.inboundFirstSpeaker();
    }

    /** Why this worker cannot take LiveKit calls; empty when it can. */
    public synchronized Optional<String> unavailable() {
        List<String> problems = new ArrayList<>();
        if (engine() == null) {
            problems.add("LiveKit's media engine: " + engineProblem);
        }
        voice.unavailable().ifPresent(problems::add);
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }

    @Override
    public boolean ready() {
        return unavailable().isEmpty();
    }

    @Override
    public RunningJob start(LivekitAgent.Job job, String url, String token) {
        LiveKitEngine running = engine();
        if (running == null) {
            throw new IllegalStateException("LiveKit's media engine is unavailable: " + engineProblem);
        }
        return LiveKitCall.start(running, job, url, token, sessions, voice, tenants, inboundOpener);
    }

    private synchronized LiveKitEngine engine() {
        if (engine == null && engineProblem == null) {
            try {
                engine = LiveKitEngine.start(LiveKitEngine.Options.defaults());
            } catch (FfiException.Unavailable | IllegalStateException e) {
                engineProblem = e.getMessage();
            }
        }
        return engine;
    }

    @PreDestroy
    synchronized void close() {
        if (engine != null) {
            engine.close();
        }
    }
}
