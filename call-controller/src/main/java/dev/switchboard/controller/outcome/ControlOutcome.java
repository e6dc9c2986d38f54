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
     * Not carried out: the request goes to the dead-letter topic with this reason, to be looked at and replayed.
     * {@code auditTenant}: whose audit trail records it, when not the request's tenant (null). {@code cause}: whether the
     * request itself is at fault (dead-lettered as {@code invalid}) or carrying it out failed, LiveKit or Kafka refusing
     * or not answering ({@code failed}): an operator replays the latter once the cause is fixed, never the former.
     */
    record Refused(String reason, String auditTenant, Cause cause) implements ControlOutcome {
        public Refused(String reason) {
            this(reason, null, Cause.REQUEST);
        }

        public Refused(String reason, String auditTenant) {
            this(reason, auditTenant, Cause.REQUEST);
        }

        /** A request that was fine, but could not be carried out. */
        public static Refused unfinished(String reason) {
            return new Refused(reason, null, Cause.CARRYING_OUT);
        }

        public enum Cause {
            /** The request cannot be carried out as it is (another tenant's room, a command id reused...). */
            REQUEST,
            /** LiveKit or Kafka kept failing or refused while it was carried out. */
            CARRYING_OUT
        }
    }

    /**
     * Not handled by this instance (it is shutting down): left unacknowledged, so the instance that takes the partition
     * over (or this one, restarted) reads the request again and carries it out. Not audited here, as nothing was done.
     */
    record Deferred(String reason) implements ControlOutcome {
    }
}
