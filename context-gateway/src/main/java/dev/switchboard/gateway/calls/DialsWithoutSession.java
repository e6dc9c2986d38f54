package dev.switchboard.gateway.calls;

import dev.switchboard.gateway.commands.UnansweredDials;
import dev.switchboard.kit.auth.Caller;
import jakarta.inject.Singleton;

import java.util.Optional;

/**
 * The room's outbound call while it has no agent session: ringing (DIALING), or ANSWERED with the agent's session yet to
 * start. Those are what a hang-up of the room must still reach; a failed or ended call is over and takes none.
 */
@Singleton
public class DialsWithoutSession implements UnansweredDials {
    private final OutboundCalls calls;
    private final CallTenants tenants;

    DialsWithoutSession(OutboundCalls calls, CallTenants tenants) {
        this.calls = calls;
        this.tenants = tenants;
    }

    @Override
    public Optional<Dial> find(String room, Caller caller) {
        return calls.find(room)
                .filter(call -> !call.isOver() && call.sessionId() == null)
                .filter(call -> caller.mayAccess(tenants.of(call)))
                .map(call -> new Dial(room, call.commandId(), tenants.of(call), call.endReason(), call.state() == CallState.ANSWERED));
    }
}
