package dev.switchboard.worker.session;

import dev.switchboard.events.CallDirection;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the model is told about the call itself: which way it goes, between which numbers, and what the system that
 * placed it attached ({@value #DIAL_METADATA_PREFIX}* entries of the session's metadata). Without it an agent that
 * placed a call greets the callee as if they had rung in.
 */
public record CallFacts(CallDirection direction, String callerNumber, String calleeNumber, Map<String, String> dialMetadata) {
    /** Session metadata entries copied from a dial's own {@code metadata} carry this prefix. */
    public static final String DIAL_METADATA_PREFIX = "dial.";

    public CallFacts {
        // Sorted: the same call gives the model the same words every time.
        dialMetadata = dialMetadata == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(dialMetadata));
    }

    /** The facts of a session about to start, its dial's metadata taken from the session's metadata. */
    static CallFacts of(SessionRegistry.StartRequest request) {
        Map<String, String> dial = new TreeMap<>();
        if (request.metadata() != null) {
            request.metadata().forEach((key, value) -> {
                if (key.startsWith(DIAL_METADATA_PREFIX) && value != null) {
                    dial.put(key.substring(DIAL_METADATA_PREFIX.length()), value);
                }
            });
        }
        return new CallFacts(request.direction(), request.callerNumber(), request.calleeNumber(), dial);
    }

    /** One paragraph for the model's instructions; empty when there is nothing to say (a web call without numbers). */
    Optional<String> describe() {
        StringBuilder text = new StringBuilder();
        switch (direction == null ? CallDirection.WEB : direction) {
            case OUTBOUND -> {
                text.append("About this call: it is an outbound phone call that you placed");
                if (calleeNumber != null) {
                    text.append(" to ").append(calleeNumber);
                }
                if (callerNumber != null) {
                    text.append(" from ").append(callerNumber);
                }
                text.append(". The person who answers did not call you.");
            }
            case INBOUND -> {
                if (callerNumber != null) { // without one, a caller on a web page or a simulated call: nothing to say
                    text.append("About this call: it is an inbound phone call from ").append(callerNumber);
                    if (calleeNumber != null) {
                        text.append(" to ").append(calleeNumber);
                    }
                    text.append('.');
                }
            }
            default -> {
                // A web call: its direction tells the model nothing it needs.
            }
        }
        if (!dialMetadata.isEmpty()) {
            text.append(text.isEmpty() ? "About this call: details given when it was placed:" : " Details given when the call was placed:");
            dialMetadata.forEach((key, value) -> text.append("\n- ").append(key).append(": ").append(value));
        }
        return text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
    }
}
