package dev.switchboard.gateway.api;

import dev.switchboard.events.CallDirection;
import dev.switchboard.events.Transport;
import dev.switchboard.gateway.calls.OutboundCall;
import dev.switchboard.gateway.sessions.LiveSession;
import dev.switchboard.gateway.sessions.SessionState;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A session shows the room's outbound call only when it is that call's. */
class SessionViewTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final OutboundCall RINGING = OutboundCall.dialing("r", "d1", "+15550001", null, "ST_1", NOW, "acme", null);

    private static LiveSession live(CallDirection direction, String tenant) {
        return new LiveSession("r", "s1", SessionState.LIVE, Transport.LIVEKIT, direction, "agent", "w1", null, null, NOW,
                null, null, tenant, null);
    }

    @Test
    void aCallThatCameInToARoomWhereADialRingsIsNotThatDialsCall() {
        assertThat(GatewayViews.SessionView.of(live(CallDirection.INBOUND, "acme"), RINGING).call()).isNull();
        assertThat(GatewayViews.SessionView.of(live(CallDirection.WEB, "acme"), RINGING).call()).isNull();
        assertThat(GatewayViews.SessionView.of(live(CallDirection.OUTBOUND, "globex"), RINGING).call()).as("another tenant's").isNull();

        assertThat(GatewayViews.SessionView.of(live(CallDirection.OUTBOUND, "acme"), RINGING).call()).isNotNull();
        assertThat(GatewayViews.SessionView.of(live(CallDirection.UNKNOWN, "acme"), RINGING).call().commandId()).isEqualTo("d1");
    }
}
