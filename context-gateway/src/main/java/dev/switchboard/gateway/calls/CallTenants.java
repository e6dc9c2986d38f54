package dev.switchboard.gateway.calls;

import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.LiveSessionRegistry;
import dev.switchboard.kit.auth.Caller;
import jakarta.inject.Singleton;

/** Whose a known call is: the tenant that placed it, else its room's session's; "default" when neither is known. */
@Singleton
public class CallTenants {
    private final LiveSessionRegistry sessions;

    CallTenants(LiveSessionRegistry sessions) {
        this.sessions = sessions;
    }

    public String of(OutboundCall call) {
        return Caller.tenantOrDefault(call.tenant() != null ? call.tenant()
                : sessions.find(call.room()).map(LiveSession::tenant).orElse(null));
    }
}
