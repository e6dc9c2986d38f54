package dev.switchboard.gateway.health;

import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.gateway.sessions.SessionState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import jakarta.inject.Singleton;

/** Sessions by state and commands waiting for a result, measured when scraped. */
@Singleton
public class GatewayGauges implements MeterBinder {
    private final LiveSessionRegistry registry;
    private final CommandStore commands;

    GatewayGauges(LiveSessionRegistry registry, CommandStore commands) {
        this.registry = registry;
        this.commands = commands;
    }

    @Override
    public void bindTo(MeterRegistry meters) {
        for (SessionState state : SessionState.values()) {
            Gauge.builder("switchboard.gateway.sessions", registry, r -> r.count(state))
                    .description("Sessions the gateway knows, by state")
                    .tag("state", state.name())
                    .register(meters);
        }
        Gauge.builder("switchboard.gateway.commands.pending", commands, CommandStore::pending)
                .description("Commands issued by this instance that have no result yet")
                .register(meters);
    }
}
