package dev.switchboard.controller.tenancy;

import dev.switchboard.controller.support.ExpiringMap;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.kit.auth.Caller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Keeps a call-control request off the rooms of another tenant's sessions, as the agent worker does for session
 * commands: a request acts for its {@code tenant} ({@code default} when it names none), and is refused when an agent
 * worker reports a session of another tenant in its room, or, before any session is reported there, when this
 * controller let another tenant's dial into the room within {@link #DIAL_MEMORY} (the call is still ringing, or
 * answered and its agent not yet reported). A room holding neither (a session already ended, a room without an agent)
 * holds nothing of a tenant to protect, and the request is carried out as before.
 *
 * <p>The dials are remembered by this instance: Kafka hands every request of a room to one instance, so the hang-up
 * of a ringing call meets the memory of its dial unless the group was rebalanced in between.
 *
 * <p>What workers report is read up to date for every request (see {@link HeartbeatSessionsReader}); when it cannot
 * be, the request is refused rather than carried out blind.
 */
@ApplicationScoped
public class TenantFence {
    /**
     * How long a request waits to learn the room's sessions. The heartbeat topic holds one record per worker, so reading
     * it takes milliseconds; longer means the broker or the reader is in trouble.
     */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a phone may ring (5 minutes, as the gateway allows) and a minute for the agent's session to be reported. */
    static final Duration DIAL_MEMORY = Duration.ofMinutes(6);

    /** Whether a request may be carried out. */
    public sealed interface Verdict {
        record Allowed() implements Verdict {
        }

        /** Not to be carried out; {@code session}: the other tenant's session in the room (null when none is known). */
        record Refused(String reason, ReportedSession session) implements Verdict {
        }

        /**
         * Not decided here: the service is shutting down and can no longer learn the room's sessions. The request is left
         * for the instance that takes the partition over (or this one restarted), not refused.
         */
        record Deferred(String reason) implements Verdict {
        }
    }

    private final Function<String, Optional<List<ReportedSession>>> sessionsIn;
    private final BooleanSupplier stopping;
    /** Room -> tenant of the dials this fence let through. */
    private final ExpiringMap<String, String> dialledRooms;

    @Inject
    TenantFence(HeartbeatSessionsReader reader, Clock clock) {
        this(room -> reader.upToDate(room, READ_TIMEOUT), reader::stopping, clock);
    }

    TenantFence(Function<String, Optional<List<ReportedSession>>> sessionsIn, Clock clock) {
        this(sessionsIn, () -> false, clock);
    }

    /**
     * @param sessionsIn the sessions workers report in a room, up to date; empty when that could not be learnt
     * @param stopping   whether the service is shutting down (then what could not be learnt is left, not refused)
     */
    TenantFence(Function<String, Optional<List<ReportedSession>>> sessionsIn, BooleanSupplier stopping, Clock clock) {
        this.sessionsIn = sessionsIn;
        this.stopping = stopping;
        this.dialledRooms = new ExpiringMap<>(DIAL_MEMORY, clock);
    }

    public Verdict check(CallControlRequest request) {
        Verdict verdict = verdictOn(request);
        if (verdict instanceof Verdict.Allowed && request.getPayload() instanceof DialRequested) {
            dialledRooms.put(request.getRoom(), Caller.tenantOrDefault(request.getTenant()));
        }
        return verdict;
    }

    private Verdict verdictOn(CallControlRequest request) {
        String room = request.getRoom();
        if (request.getTenant() == null || request.getTenant().isBlank()) {
            // As the worker does for session commands: a request without a tenant comes from a publisher the Kafka ACLs
            // already trust (an older client, a system of the operator's) and is carried out as before.
            return new Verdict.Allowed();
        }
        String tenant = request.getTenant();
        Optional<List<ReportedSession>> reported = sessionsIn.apply(room);
        if (reported.isEmpty() && stopping.getAsBoolean()) {
            return new Verdict.Deferred("this call controller is shutting down and no longer reads the worker heartbeats");
        }
        if (reported.isEmpty()) {
            return new Verdict.Refused("could not learn within " + READ_TIMEOUT.toSeconds() + " s which tenant's session room " + room
                    + " holds (the worker heartbeats could not be read up to date); not carried out", null);
        }
        if (reported.get().isEmpty()) {
            return dialledRooms.get(room).filter(dialler -> !dialler.equals(tenant))
                    .<Verdict>map(other -> new Verdict.Refused("the request is for tenant '" + tenant + "', but the call being dialled into room "
                            + room + " belongs to another tenant", null))
                    .orElseGet(Verdict.Allowed::new);
        }
        // Every session in the room must be the request's tenant's: the call is one, whoever's session is in it.
        // The reason does not name the other tenant, as the worker's does not.
        return reported.get().stream().filter(s -> !tenant.equals(Caller.tenantOrDefault(s.tenant()))).findFirst()
                .<Verdict>map(other -> new Verdict.Refused("the request is for tenant '" + tenant + "', but the session in room " + room
                        + " belongs to another tenant", other))
                .orElseGet(Verdict.Allowed::new);
    }
}
