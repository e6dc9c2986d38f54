package dev.switchboard.worker.session;

import dev.switchboard.events.CallDirection;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CallFactsTest {
    @Test
    void anOutboundCallSaysTheAgentPlacedItToWhomFromWhereAndWhatTheDialAttached() {
        var request = new SessionRegistry.StartRequest("r", null, null, CallDirection.OUTBOUND, "+15557654321", "+15551234567",
                Map.of("dial.orderId", "A-17", "dial.reason", "late delivery", "sip.callID", "SCL_1"));

        assertThat(CallFacts.of(request).describe()).contains("""
                About this call: it is an outbound phone call that you placed to +15551234567 from +15557654321. \
                The person who answers did not call you. Details given when the call was placed:
                - orderId: A-17
                - reason: late delivery""");
    }

    @Test
    void anInboundCallNamesTheNumbersItHas() {
        assertThat(new CallFacts(CallDirection.INBOUND, "+15550100", null, Map.of()).describe())
                .contains("About this call: it is an inbound phone call from +15550100.");
        assertThat(new CallFacts(CallDirection.INBOUND, "+15550100", "+15557654321", Map.of()).describe())
                .contains("About this call: it is an inbound phone call from +15550100 to +15557654321.");
        assertThat(new CallFacts(CallDirection.INBOUND, null, null, Map.of()).describe()).as("no number, no phone call").isEmpty();
    }

    @Test
    void aWebCallWithNothingAttachedTellsTheModelNothing() {
        assertThat(new CallFacts(CallDirection.WEB, null, null, null).describe()).isEmpty();
        assertThat(new CallFacts(CallDirection.WEB, null, null, Map.of("topic", "billing")).describe())
                .contains("About this call: details given when it was placed:\n- topic: billing");
    }
}
