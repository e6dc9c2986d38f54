package dev.switchboard.worker.simulated;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The simulated-call API's limits. */
@ConfigMapping(prefix = "switchboard.simulated")
public interface SimulatedCallSettings {

    /**
     * How many simulated calls may run at once on this worker ({@code SWITCHBOARD_SIMULATED_MAX_CALLS}): each holds a
     * session, its chat context and its timers until it ends, so a script starting calls without end must not exhaust
     * the worker that also carries real calls.
     */
    @WithDefault("100")
    int maxCalls();
}
