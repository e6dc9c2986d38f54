package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.LiveKitSettings;
import dev.switchboard.controller.livekit.OutboundCall;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.kit.validation.DialRules;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Resolves a DialRequested against the configuration: the trunk and caller id default from SWITCHBOARD_SIP_*, the
 * agent from SWITCHBOARD_LIVEKIT_AGENT_NAME, the callee's identity from the number as LiveKit would choose it. The
 * callee's participant is marked with the dial ({@value #DIAL_COMMAND_ATTRIBUTE}); without an agent to dispatch it
 * also carries the dial's details ({@value DispatchMetadata#PARTICIPANT_ATTRIBUTE}), which the agent LiveKit then
 * dispatches automatically would otherwise never learn.
 */
@ApplicationScoped
public class DialPlanner {
    /** Marks the callee's participant with the dial that placed it, so a later delivery of the dial can find it. */
    public static final String DIAL_COMMAND_ATTRIBUTE = "switchboard.dialCommandId";

    /** A plan, or why there can be none. */
    public sealed interface Result {
        record Ready(DialPlan plan) implements Result {
        }

        record Unplaceable(String reason) implements Result {
        }
    }

    private final SipSettings sip;
    private final LiveKitSettings livekit;

    DialPlanner(SipSettings sip, LiveKitSettings livekit) {
        this.sip = sip;
        this.livekit = livekit;
    }

    public Result plan(CallControlRequest request, DialRequested dial) {
        // Checked as written, as the gateway checks its requests: " +15551234567 " or tel:tel:+15551234567 is not a number.
        String written = dial.getPhoneNumber();
        if (written == null || written.isBlank()) {
            return new Result.Unplaceable("the dial has no phone number");
        }
        Optional<String> unusable = CallDestinations.problem(written);
        if (unusable.isPresent()) {
            return new Result.Unplaceable("the dial's phone number " + unusable.get() + "; not dialled");
        }
        Optional<String> invalid = invalid(written, dial);
        if (invalid.isPresent()) {
            return new Result.Unplaceable(invalid.get() + "; not dialled");
        }
        String number = number(written);
        Optional<String> trunk = text(dial.getSipTrunkId()).or(sip::outboundTrunk);
        if (trunk.isEmpty()) {
            return new Result.Unplaceable("no SIP trunk: the dial names none and SWITCHBOARD_SIP_OUTBOUND_TRUNK is not set");
        }
        String from = fromNumber(dial).orElse(null);
        String identity = text(dial.getParticipantIdentity()).orElse("sip_" + number);
        Duration ringing = Duration.ofSeconds(dial.getRingingTimeoutSeconds());
        Duration maxDuration = dial.getMaxCallDurationSeconds() != null
                ? Duration.ofSeconds(dial.getMaxCallDurationSeconds())
                : sip.maxCallDuration().orElse(null);
        OutboundCall call = new OutboundCall(request.getRoom(), trunk.get(), number, from, identity,
                text(dial.getParticipantName()).orElse(null), Map.of(DIAL_COMMAND_ATTRIBUTE, request.getCommandId()),
                ringing, maxDuration, dial.getPlayDialtone(), text(dial.getDtmf()).orElse(null));
        String metadata = DispatchMetadata.json(request, dial, call);
        Optional<String> agent = agentName(dial);
        if (agent.isEmpty()) {
            // No explicit dispatch: an automatically dispatched agent gets no job metadata, so the callee carries it.
            Map<String, String> attributes = new LinkedHashMap<>(call.attributes());
            attributes.put(DispatchMetadata.PARTICIPANT_ATTRIBUTE, metadata);
            int size = DispatchMetadata.attributesBytes(attributes);
            if (size > DispatchMetadata.MAX_PARTICIPANT_ATTRIBUTES_BYTES) {
                return new Result.Unplaceable("the dial's details (instructions, metadata, voicemail message...) take " + size
                        + " bytes, more than the " + DispatchMetadata.MAX_PARTICIPANT_ATTRIBUTES_BYTES + " the callee's participant"
                        + " attributes may carry, and no agent is dispatched to receive them as job metadata: shorten them or name an"
                        + " agent (agentName, SWITCHBOARD_LIVEKIT_AGENT_NAME); not dialled");
            }
            call = call.withAttributes(attributes);
        }
        return new Result.Ready(new DialPlan(request.getCommandId(), call, agent, metadata, ringing.plus(sip.answerGrace())));
    }

    /** The number the dial calls from: its own, else SWITCHBOARD_SIP_FROM_NUMBER; empty: the trunk's own number. */
    public Optional<String> fromNumber(DialRequested dial) {
        return text(dial.getFromNumber()).or(sip::fromNumber);
    }

    /** The agent the dial dispatches: its own, else SWITCHBOARD_LIVEKIT_AGENT_NAME; empty: no explicit dispatch. */
    public Optional<String> agentName(DialRequested dial) {
        return text(dial.getAgentName()).or(livekit::agentName);
    }

    /**
     * What of the dial the context gateway would have refused with a 400 ({@link DialRules}): a DialRequested written
     * straight to Kafka is held to the same rules. The schema's defaults stand: a ringing timeout left at its default is
     * 30 s, a maximum duration left null is SWITCHBOARD_SIP_MAX_CALL_DURATION; 0 or a negative number is neither.
     * Never repeats a number.
     */
    private static Optional<String> invalid(String number, DialRequested dial) {
        if (!DialRules.isDialDestination(number)) {
            return Optional.of("the dial's phone number is neither an E.164 number (+ and up to 15 digits, e.g. +15551234567) nor a "
                    + "SIP user (sip:alice: LiveKit calls a SIP user at the outbound trunk's address, and takes no host per call)");
        }
        Optional<String> from = text(dial.getFromNumber());
        if (from.isPresent() && !DialRules.isE164(from.get())) {
            return Optional.of("the dial's fromNumber is not an E.164 number (+ and up to 15 digits, e.g. +15557654321)");
        }
        int ringing = dial.getRingingTimeoutSeconds();
        if (ringing < DialRules.MIN_RINGING_TIMEOUT.toSeconds() || ringing > DialRules.MAX_RINGING_TIMEOUT.toSeconds()) {
            return Optional.of("the dial's ringingTimeoutSeconds is " + ringing + ": it must be from " + DialRules.MIN_RINGING_TIMEOUT.toSeconds()
                    + " to " + DialRules.MAX_RINGING_TIMEOUT.toSeconds() + " (default 30)");
        }
        Integer max = dial.getMaxCallDurationSeconds();
        if (max != null && (max < DialRules.MIN_CALL_DURATION.toSeconds() || max > DialRules.MAX_CALL_DURATION.toSeconds())) {
            return Optional.of("the dial's maxCallDurationSeconds is " + max + ": it must be from " + DialRules.MIN_CALL_DURATION.toSeconds()
                    + " to " + DialRules.MAX_CALL_DURATION.toSeconds() + ", or null for SWITCHBOARD_SIP_MAX_CALL_DURATION");
        }
        return Optional.empty();
    }

    /** E.164 as given; a {@code tel:} URI is dialled as its number (LiveKit wants a number or SIP user, not a URI). */
    private static String number(String phoneNumber) {
        Optional<String> number = text(phoneNumber);
        return number.map(n -> n.regionMatches(true, 0, "tel:", 0, 4) ? n.substring(4).trim() : n).filter(n -> !n.isEmpty()).orElse(null);
    }

    private static Optional<String> text(String value) {
        return Optional.ofNullable(value).map(String::trim).filter(v -> !v.isEmpty());
    }
}
