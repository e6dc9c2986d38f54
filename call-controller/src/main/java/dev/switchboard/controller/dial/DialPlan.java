package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.OutboundCall;

import java.time.Duration;
import java.util.Optional;

/**
 * One dial, resolved from the request and the configuration.
 *
 * @param call             the CreateSIPParticipant request
 * @param agentName        the agent to dispatch first; empty: no explicit dispatch
 * @param dispatchMetadata the job metadata the agent receives (JSON, see {@link DispatchMetadata})
 * @param answerWait       how long to wait for LiveKit's answer to CreateSIPParticipant
 */
public record DialPlan(String commandId, OutboundCall call, Optional<String> agentName, String dispatchMetadata, Duration answerWait) {

    public String room() {
        return call.room();
    }
}
