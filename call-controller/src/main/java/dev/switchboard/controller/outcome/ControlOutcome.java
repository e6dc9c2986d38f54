package dev.switchboard.controller.outcome;

/**
 * What became of one call-control request; the Kafka listener turns it into an ack or a dead letter.
 *
 * <p>In a package of its own: the services that carry requests out (dial, transfer, the tenant fence's refusals) answer
 * with it, and so do the router and listener above them ({@code control}) and the worker watch, which sends the rooms
 * of a lost worker through that router. Kept with the router, it made every one of those packages and the router's
 * package depend on each other.
 */
public sealed interface ControlOutcome {

    /** Carried out: its event is on Kafka. {@code summary} is for logs and the audit record. */
    record Done(String summary) implements ControlOutcome {
    }

    /**
     * Tried and not achieved (a dial nobody answered, a transfer the far end refused), and the requester was told on
     * Kafka: acknowledged like {@link Done}, but audited {@code FAILED} with {@code reason}.
     */
    record Failed(String reason) implements ControlOutcome {
    }

    /** Nothing to do: a repeated command id, or a call already ended. Acknowledged, nothing published. */
    record Skipped(String why) implements ControlOutcome {
    }

    /**
     * Not carried out and nobody told: the request goes to the dead-letter topic with this reason. {@code auditTenant}:
     * whose audit trail records it, when not the request's tenant (null).
     */
    record Refused(String reason, String auditTenant) implements ControlOutcome {
        public Refused(String reason) {
            this(reason, null);
        }
    }

    /**
     * Not handled by this instance (it is shutting down): left unacknowledged, so the instance that takes the partition
     * over (or this one, restarted) reads the request again and carries it out. Not audited here, as nothing was done.
     */
    record Deferred(String reason) implements ControlOutcome {
    }
}
