package dev.switchboard.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Everything the gateway can be tuned with, under {@code switchboard.gateway.*} in application.properties.
 * Every key can be overridden by its environment variable, e.g. {@code SWITCHBOARD_GATEWAY_COMMANDS_DEFAULT_WAIT}.
 */
@ConfigMapping(prefix = "switchboard.gateway")
public interface GatewayConfig {

    /** Names this instance; its per-instance consumer groups are derived from it. */
    String instanceId();

    Commands commands();

    CommandStore commandStore();

    Sessions sessions();

    Results results();

    Watchdog watchdog();

    Calls calls();

    /** How often ended sessions and old commands are evicted from memory. */
    @WithDefault("1m")
    Duration housekeepingInterval();

    /**
     * How often a live stream ({@code GET /v1/stream}) sends a keep-alive comment line: a client that went away is
     * noticed at the next one, which frees its place among its caller's streams (the Retry-After of a refused stream).
     */
    @WithDefault("15s")
    Duration streamKeepAlive();

    interface Commands {
        /** How long a request waits for the command's result when it does not say ({@code ?wait=}). */
        @WithDefault("5s")
        Duration defaultWait();

        /** The longest {@code ?wait=} a request may ask for. */
        @WithDefault("30s")
        Duration maxWait();

        /** A command's lifetime: after issuedAt + lifetime the worker no longer applies it. */
        @WithDefault("30s")
        Duration lifetime();

        /** The longest text of an InjectContext, Say or goodbye, in characters. */
        @WithDefault("4000")
        int maxTextLength();

        /** The longest instructions of an UpdateInstructions, in characters (system prompts run long). */
        @WithDefault("20000")
        int maxInstructionsLength();
    }

    interface CommandStore {
        /** How many commands {@code GET /v1/commands/{id}} remembers; the oldest go first. */
        @WithDefault("10000")
        int maxSize();

        /** How long a command is remembered. */
        @WithDefault("1h")
        Duration maxAge();
    }

    interface Sessions {
        /** How long an ended session stays visible ({@code GET /v1/sessions?all=true}) before it is evicted. */
        @WithDefault("24h")
        Duration endedRetention();
    }

    interface Results {
        /**
         * How far back the results consumer starts at start-up. The group is per instance and new on every start,
         * so without this a restarted gateway would not know results published while it was down, and its watchdog
         * could answer commands a worker already answered. The consumer of every command starts as far back (and reads
         * a worker's topic it finds later from as far back), so the commands still pending are known too. 0 starts at
         * the end (latest).
         */
        @WithDefault("2m")
        Duration replayWindow();
    }

    interface Watchdog {
        /** Whether this instance answers commands nobody else will (all instances share one consumer group). */
        @WithDefault("true")
        boolean enabled();

        /** How long a command's room may stay without a live session before the watchdog answers UNKNOWN_SESSION. */
        @WithDefault("2s")
        Duration unknownSessionGrace();

        /** How long after expiresAt the watchdog waits for a worker's result before it answers EXPIRED. */
        @WithDefault("2s")
        Duration expiryGrace();

        /**
         * How much longer than expiresAt plus its ringing timeout a dial may go without an outcome before the gateway
         * answers it EXPIRED: a call controller that took the dial just before its expiry rings the phone, then waits
         * its answer grace (15 s by default) for LiveKit's word.
         */
        @WithDefault("30s")
        Duration dialOutcomeGrace();
    }

    interface Calls {
        /**
         * The longest {@code ?wait=} of {@code POST /v1/calls}: a phone rings for up to its ringing timeout (30 s by
         * default) before the dial has an outcome. Without {@code ?wait=} the request answers 202 at once.
         */
        @WithDefault("60s")
        Duration maxWait();
    }
}
