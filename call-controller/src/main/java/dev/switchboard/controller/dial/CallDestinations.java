package dev.switchboard.controller.dial;

import java.util.Optional;

/**
 * What a dial's or a transfer's destination may not hold, whoever published the request. The gateway already refuses
 * these with a 400; a request written straight to Kafka reaches LiveKit only through this check.
 */
public final class CallDestinations {
    private CallDestinations() {
    }

    /** Why the destination cannot be used ("has ..."), or empty when it can. Never repeats the destination itself. */
    public static Optional<String> problem(String destination) {
        if (destination == null || destination.isBlank()) {
            return Optional.of("is empty");
        }
        // A SIP URI's headers part (sip:bob@pbx?Subject=...) is copied into the INVITE: the requester would write SIP headers.
        if (destination.indexOf('?') >= 0) {
            return Optional.of("has a ?headers part, which would be copied into the INVITE");
        }
        if (destination.strip().chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("has spaces or control characters");
        }
        return Optional.empty();
    }
}
