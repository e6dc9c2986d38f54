package dev.switchboard.gateway.housekeeping;

import dev.switchboard.gateway.calls.OutboundCalls;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.GatewayTimers;
import dev.switchboard.gateway.live.SessionTimeline;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Periodically forgets sessions that ended long ago and commands past their age, so memory stays bounded. */
@ApplicationScoped
public class Housekeeping {
    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    private final LiveSessionRegistry registry;
    private final CommandStore commands;
    private final OutboundCalls calls;
    private final GatewayTimers timers;
    private final GatewayConfig config;
    private final SessionTimeline timeline;

    Housekeeping(LiveSessionRegistry registry, CommandStore commands, OutboundCalls calls, GatewayTimers timers, GatewayConfig config,
                 SessionTimeline timeline) {
        this.timeline = timeline;
        this.registry = registry;
        this.commands = commands;
        this.calls = calls;
        this.timers = timers;
        this.config = config;
    }

    void start(@Observes StartupEvent started) {
        timers.every(config.housekeepingInterval(), this::sweep);
    }

    void sweep() {
        try {
            int sessions = registry.evictEnded();
            timeline.retain(registry::knows);
            timeline.retainDials((room, commandId) -> calls.find(room).filter(call -> commandId.equals(call.commandId())).isPresent());
            int evicted = commands.evictOld();
            int over = calls.evictOver();
            if (sessions + evicted + over > 0) {
                LOG.debugf("evicted %d ended sessions, %d old commands and %d outbound calls", sessions, evicted, over);
            }
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed", e); // a failed sweep must not cancel the next ones
        }
    }
}
