package dev.switchboard.gateway.calls;

/** How a dial request ends: with the call's outcome (answered or failed), or still dialing when the wait ran out. */
public sealed interface DialReply {
    OutboundCall call();

    record Dialed(OutboundCall call) implements DialReply {
    }

    record Pending(OutboundCall call) implements DialReply {
    }
}
