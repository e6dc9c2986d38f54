package dev.switchboard.gateway.calls;

import dev.switchboard.gateway.commands.CommandIdsInUse;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** The command ids of the calls this gateway knows, for the session commands' Idempotency-Key check. */
@ApplicationScoped
class DialCommandIds implements CommandIdsInUse {
    private final OutboundCalls calls;

    DialCommandIds(OutboundCalls calls) {
        this.calls = calls;
    }

    @Override
    public Optional<Use> find(String commandId) {
        return calls.findByCommand(commandId).map(call -> new Use("a call into room \"" + call.room() + "\"", call.tenant()));
    }
}
