package dev.switchboard.controller;

import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.HangupScope;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.TransferRequested;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;

import java.time.Duration;
import java.util.UUID;

/** Call-control requests as the worker, the gateway and other systems make them. */
final class CallControlRequests {
    static final Issuer LLM = Issuer.newBuilder().setKind(IssuerKind.LLM).setId("worker-7").build();

    private CallControlRequests() {
    }

    static String room(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static HangupRequested.Builder hangup(Transport transport) {
        return HangupRequested.newBuilder()
                .setReason(EndReason.AGENT_HANGUP)
                .setDetail("the customer's question was answered")
                .setScope(HangupScope.POLICY_DEFAULT)
                .setTransport(transport)
                .setSessionId(UUID.randomUUID().toString());
    }

    /** A dial with the trunk and caller id left to the controller's configuration. */
    static DialRequested.Builder dial(String number) {
        return DialRequested.newBuilder()
                .setSipTrunkId("")
                .setPhoneNumber(number)
                .setRingingTimeoutSeconds(5);
    }

    static TransferRequested.Builder transfer(String to) {
        return TransferRequested.newBuilder().setTransferTo(to);
    }

    static CallControlRequest request(String room, Object payload) {
        return new Commands(LLM).callControl(room, payload);
    }

    /** A request for the given tenant, as the context gateway sends it. */
    static CallControlRequest request(String room, Object payload, String tenant) {
        return new Commands(LLM).callControl(Commands.newCommandId(), room, payload, Duration.ofSeconds(30), tenant);
    }

    static CallControlRequest request(String room, Object payload, Duration lifetime) {
        return new Commands(LLM).callControl(Commands.newCommandId(), room, payload, lifetime);
    }
}
