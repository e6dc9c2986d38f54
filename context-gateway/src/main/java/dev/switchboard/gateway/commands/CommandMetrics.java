package dev.switchboard.gateway.commands;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;

/**
 * Commands by type and outcome ({@code switchboard_gateway_commands_total}), how long requests waited for the
 * outcome ({@code switchboard_gateway_command_wait_seconds}), and what the watchdog answered.
 */
@Singleton
public class CommandMetrics {
    /** Outcome of a request whose wait ran out before the result came. */
    public static final String PENDING = "PENDING";

    private final MeterRegistry registry;

    CommandMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A request that ended: with an outcome (APPLIED, REJECTED, ...), PENDING, or a refusal (NO_SESSION, ...). */
    public void requestEnded(String type, String outcome, Duration waited) {
        registry.counter("switchboard.gateway.commands", "type", type, "outcome", outcome).increment();
        Timer.builder("switchboard.gateway.command.wait")
                .description("How long a command request waited for the command's outcome")
                .tags("type", type, "outcome", outcome)
                .register(registry)
                .record(waited);
    }

    public void watchdogAnswered(String type, CommandOutcome outcome) {
        registry.counter("switchboard.gateway.watchdog.answers", "type", type, "outcome", outcome.name()).increment();
    }

    /** A decided command's id on another command, refused by the watchdog while no worker ran its room. */
    public void commandIdReused(String type) {
        registry.counter("switchboard.gateway.watchdog.id.reused", "type", type).increment();
    }
}
