package dev.switchboard.gateway.calls;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.gateway.commands.CallControlWatch;
import dev.switchboard.gateway.commands.CommandMetrics;
import dev.switchboard.gateway.commands.CommandPublisher;
import dev.switchboard.gateway.commands.CommandRefused;
import dev.switchboard.gateway.commands.CommandStore;
import dev.switchboard.gateway.commands.IdempotencyKeys;
import dev.switchboard.gateway.commands.RefusalRecorder;
import dev.switchboard.gateway.commands.RequestFingerprint;
import dev.switchboard.gateway.config.GatewayConfig;
import dev.switchboard.gateway.config.SipDefaults;
import dev.switchboard.gateway.controllers.ControllerStatuses;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import dev.switchboard.schemas.client.Commands;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import static dev.switchboard.gateway.commands.CommandRefused.Refusal.DIALING_NOT_CONFIGURED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.KEY_REUSED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.PUBLISH_FAILED;
import static dev.switchboard.gateway.commands.CommandRefused.Refusal.ROOM_BUSY;

/**
 * Places outbound calls: a DialRequested on {@code switchboard.call-control} for the call controller, then (bounded)
 * waits for CallAnswered or CallFailed. A dial is registered before it is published, so its waiter cannot miss the
 * outcome; a retry with the same Idempotency-Key finds the registered dial and publishes nothing, so a phone never
 * rings twice for one key (the controller also places a commandId at most once).
 */
@ApplicationScoped
public class CallDialer {
    public static final String TYPE = "DialRequested";
    private static final Logger LOG = Logger.getLogger(CallDialer.class);

    private final OutboundCalls calls;
    private final CommandStore commands;
    private final LiveSessionRegistry sessions;
    private final CommandPublisher publisher;
    private final CallControlWatch watch;
    private final CommandMetrics metrics;
    private final RefusalRecorder refusals;
    private final SipDefaults sip;
    private final CallTenants tenants;
    private final ControllerStatuses controllers;
    private final Clock clock;
    private final Duration lifetime;

    CallDialer(OutboundCalls calls, CommandStore commands, LiveSessionRegistry sessions, CommandPublisher publisher,
               CallControlWatch watch, CommandMetrics metrics, RefusalRecorder refusals, SipDefaults sip, CallTenants tenants, ControllerStatuses controllers,
               Clock clock, GatewayConfig config) {
        this.calls = calls;
        this.commands = commands;
        this.sessions = sessions;
        this.publisher = publisher;
        this.watch = watch;
        this.metrics = metrics;
        this.refusals = refusals;
        this.sip = sip;
        this.tenants = tenants;
        this.controllers = controllers;
        this.clock = clock;
        this.lifetime = config.commands().lifetime();
    }

    public Uni<DialReply> dial(DialOrder order) {
        long started = System.nanoTime();
        return Uni.createFrom().<DialReply>deferred(() -> place(order)).onItemOrFailure().invoke((reply, failure) -> {
            if (failure instanceof CommandRefused refused) {
                refusals.refused(order.issuer(), order.tenant(), TYPE, refused);
            }
            String outcome = reply instanceof DialReply.Dialed dialed ? dialed.call().state().name()
                    : reply != null ? CommandMetrics.PENDING
                    : failure instanceof CommandRefused refused ? refused.refusal().name() : "ERROR";
            metrics.requestEnded(TYPE, outcome, Duration.ofNanos(System.nanoTime() - started));
        });
    }

    private Uni<DialReply> place(DialOrder order) {
        String trunk = text(order.trunkId()).or(sip::outboundTrunk).orElseThrow(() -> new CommandRefused(DIALING_NOT_CONFIGURED,
                order.room(), "outbound calls are not configured: set SWITCHBOARD_SIP_OUTBOUND_TRUNK (the LiveKit outbound trunk, "
                + "ST_...) on the context gateway and the call controller, or name one in the request's trunkId; the call "
                + "controller also needs LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET"));
        String from = text(order.from()).or(sip::fromNumber).orElse(null);
        DialRequested payload = payload(order, trunk, from);
        String fingerprint = fingerprint(payload);
        Optional<OutboundCall> earlier = earlier(order, fingerprint);
        if (earlier.isPresent()) {
            return awaitOutcome(earlier.get(), order.waitUpTo());
        }
        // The controllers said they cannot dial: published, the dial would only fail. (No recent word of any: publish, the
        // dial waits in Kafka for a controller.)
        controllers.whyNoneCanDial().ifPresent(why -> {
            throw new CommandRefused(DIALING_NOT_CONFIGURED, order.room(), why);
        });
        String keyed = IdempotencyKeys.commandId(order.tenant(), order.idempotencyKey());
        String commandId = keyed != null ? keyed : Commands.newCommandId();
        String room = order.room() != null ? order.room() : roomToGenerate(keyed, order.tenant());
        sessions.find(room).filter(s -> s.state().hasWorker()).ifPresent(s -> {
            if (!order.tenant().equals(s.tenant())) {
                throw roomInUse(room); // another tenant's session: nothing of it is told
            }
            throw new CommandRefused(ROOM_BUSY, room, "room \"" + room + "\" has a running session (" + s.sessionId()
                    + ", " + s.state() + "); dial into another room or leave room out");
        });
        CallControlRequest request = new Commands(order.issuer(), lifetime, clock)
                .callControl(commandId, room, payload, lifetime, order.tenant());
        OutboundCall dialing = OutboundCall.dialing(room, commandId, order.to(), from, trunk, clock.instant(), order.tenant(),
                fingerprint);
        return switch (calls.register(dialing, this::tenantOf)) {
            case OutboundCalls.Registration.Known known -> // a concurrent retry
                    awaitOutcome(sameRequest(known.call(), order, fingerprint), order.waitUpTo());
            case OutboundCalls.Registration.RoomBusy busy when !order.tenant().equals(tenantOf(busy.call())) ->
                    throw roomInUse(room); // another tenant's call, over or not: nothing of it is told
            case OutboundCalls.Registration.RoomBusy busy -> throw new CommandRefused(ROOM_BUSY, room, "room \"" + room
                    + "\" already has a call (" + busy.call().state() + ", dial " + busy.call().commandId()
                    + "); dial into another room or leave room out");
            case OutboundCalls.Registration.Registered registered -> {
                LOG.infof("room %s: dialling %s through trunk %s (%s)", room, order.to(), trunk, commandId);
                yield publisher.publish(request)
                        .onFailure().transform(error -> publishFailed(registered.call(), error))
                        .invoke(() -> calls.published(registered.call())) // the live stream tells of it from here on
                        .invoke(() -> watch.watch(request, null, order.tenant())) // no controller may answer
                        .chain(() -> awaitOutcome(registered.call(), order.waitUpTo()));
            }
        };
    }

    /**
     * The room a dial without one is placed in: derived from its command id, so a retry names the same room. That name
     * can be worked out by anyone who knows the tenant and the Idempotency-Key; should another tenant's call or session
     * hold it (a squatter, or a clash), the dial goes to a fresh random room instead of being refused. A retry still
     * rings nothing twice: this gateway finds the call by its command id, and the call controller places a command id
     * at most once.
     */
    private String roomToGenerate(String keyedCommandId, String tenant) {
        String room = generatedRoom(keyedCommandId);
        boolean heldByAnother = sessions.find(room).map(LiveSession::tenant).map(Caller::tenantOrDefault)
                .filter(owner -> !owner.equals(Caller.tenantOrDefault(tenant))).isPresent()
                || calls.find(room).map(this::tenantOf).filter(owner -> !owner.equals(Caller.tenantOrDefault(tenant))).isPresent();
        if (!heldByAnother) {
            return room;
        }
        String fresh = generatedRoom(null);
        LOG.infof("the room derived for dial %s is held by another tenant; dialling into %s instead", keyedCommandId, fresh);
        return fresh;
    }

    /** A room another tenant's call or session holds: said without anything of that call or session. */
    private static CommandRefused roomInUse(String room) {
        return new CommandRefused(ROOM_BUSY, room, "room \"" + room + "\" is in use; dial into another room or leave room out");
    }

    private String tenantOf(OutboundCall call) {
        return tenants.of(call);
    }

    /**
     * The dial the caller's tenant already placed with this Idempotency-Key; a key the tenant used for something else is
     * refused. Another tenant's use of the same key is not looked at: its command has another id.
     */
    private Optional<OutboundCall> earlier(DialOrder order, String fingerprint) {
        String key = order.idempotencyKey();
        if (key == null) {
            return Optional.empty();
        }
        String commandId = IdempotencyKeys.commandId(order.tenant(), key);
        // The calls first: a dial's own CommandResult (a refusal of the call controller) is in the command store too.
        Optional<OutboundCall> call = calls.findByCommand(commandId);
        if (call.isPresent()) {
            return Optional.of(retryOf(call.get(), order, fingerprint));
        }
        Optional<OutboundCall> requested = calls.requested(commandId);
        if (requested.isPresent()) {
            // Read after its expiry (at start-up), and no outcome names it: the call controller refused it or never
            // took it up, which this instance cannot tell. Placing it again is what the key is there to prevent.
            OutboundCall request = retryOf(requested.get(), order, fingerprint);
            throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + key + "\" was already used for a call into room \""
                    + request.room() + "\" requested at " + request.requestedAt() + ", which has no outcome on record here (the call "
                    + "controller refused it or never took it up: see its log); it is not placed again: use a new key for a new call");
        }
        commands.find(commandId).ifPresent(command -> {
            if (!order.tenant().equals(command.tenant())) {
                // A command of another tenant's session under this tenant's key (an operator's, or another system's
                // with that id): say it is taken, never what for.
                throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + key + "\" is already in use; "
                        + "use a new key for a new call");
            }
            throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + key + "\" was already used for the "
                    + command.type() + " command on room \"" + command.room() + "\"; use a new key for a new call");
        });
        return Optional.empty();
    }

    /**
     * The earlier dial, for a retry with its key: the same tenant's, into the same room (when the retry names one), asking
     * for the same call; anything else is refused.
     */
    private static OutboundCall retryOf(OutboundCall earlier, DialOrder order, String fingerprint) {
        String key = order.idempotencyKey();
        if (!order.tenant().equals(Caller.tenantOrDefault(earlier.tenant()))) {
            // Another tenant's call: nothing of it is told, not even its room.
            throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + key + "\" was already used; use a new key for a new call");
        }
        if (order.room() != null && !order.room().equals(earlier.room())) {
            throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + key + "\" was already used for a call "
                    + "into room \"" + earlier.room() + "\"; use a new key for a new call");
        }
        return sameRequest(earlier, order, fingerprint);
    }

    /** The call a retry with its key gets, if it asks for the same call (number, caller id, trunk, agent, settings). */
    private static OutboundCall sameRequest(OutboundCall earlier, DialOrder order, String fingerprint) {
        if (RequestFingerprint.differs(earlier.fingerprint(), fingerprint)) {
            throw new CommandRefused(KEY_REUSED, order.room(), "Idempotency-Key \"" + order.idempotencyKey() + "\" was already used "
                    + "for a different request (a call with another number or other settings); a retry must send the same request, "
                    + "use a new key for a new call");
        }
        return earlier;
    }

    /**
     * What a dial asks for: its DialRequested as the gateway built it (the trunk and caller id it would use, so naming the
     * configured default is the same request as leaving it out; the ringing timeout in whole seconds, so "30s" is the
     * default), or as it was read from the call-control topic, which gives the same fingerprint. The room is compared on
     * its own.
     */
    public static String fingerprint(DialRequested dial) {
        return RequestFingerprint.of(dial);
    }

    private Uni<DialReply> awaitOutcome(OutboundCall call, Duration wait) {
        if (call.isDialed()) {
            return Uni.createFrom().item(new DialReply.Dialed(call));
        }
        if (wait.isZero() || call.commandId() == null) {
            return Uni.createFrom().item(new DialReply.Pending(latest(call)));
        }
        return Uni.createFrom().completionStage(calls.whenDialed(call.commandId()))
                .map(dialed -> (DialReply) new DialReply.Dialed(dialed))
                .ifNoItem().after(wait).recoverWithItem(() -> new DialReply.Pending(latest(call)));
    }

    private OutboundCall latest(OutboundCall call) {
        return calls.findByCommand(call.commandId()).orElse(call);
    }

    private CommandRefused publishFailed(OutboundCall call, Throwable error) {
        calls.forget(call); // a retry with the same Idempotency-Key must publish again
        // The broker is away, not this service broken: the 503 answer is logged (a WARN line now and then, not per request).
        LOG.debugf("room %s: could not publish the dial %s: %s", call.room(), call.commandId(), error.getMessage());
        return new CommandRefused(PUBLISH_FAILED, call.room(), call.commandId(), "Kafka did not acknowledge the dial (" + error.getMessage()
                + "); it may still be placed: GET /v1/calls/" + call.room() + " shows it if it is, and a retry rings once only when it"
                + " carries the same Idempotency-Key", error);
    }

    private static DialRequested payload(DialOrder order, String trunk, String from) {
        var dial = DialRequested.newBuilder()
                .setSipTrunkId(trunk)
                .setPhoneNumber(order.to())
                .setFromNumber(from)
                .setAgentName(order.agentName())
                .setInstructions(order.instructions())
                .setMetadata(order.metadata())
                .setWaitUntilAnswered(true)
                .setMachineDetection(order.machineDetection())
                .setVoicemailMessage(order.voicemailMessage())
                .setFirstSpeaker(order.firstSpeaker());
        if (order.ringingTimeout() != null) {
            dial.setRingingTimeoutSeconds(Math.toIntExact(order.ringingTimeout().toSeconds()));
        }
        if (order.maxDuration() != null) {
            dial.setMaxCallDurationSeconds(Math.toIntExact(order.maxDuration().toSeconds()));
        }
        return dial.build();
    }

    /**
     * A new room per call; derived from the dial's commandId when it comes from an Idempotency-Key, so every retry names
     * the same room, and the same key from another tenant (another commandId) another room.
     */
    public static String generatedRoom(String keyedCommandId) {
        UUID id = keyedCommandId == null ? UUID.randomUUID()
                : UUID.nameUUIDFromBytes(("switchboard-dial:" + keyedCommandId).getBytes(StandardCharsets.UTF_8));
        return "call-" + id;
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
