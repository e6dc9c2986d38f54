package dev.switchboard.testing.livekit;

import livekit.LivekitSip.SIPStatusCode;

import java.util.Map;

/**
 * How LiveKit turns a SIP status into an API error: the protocol's {@code sipCodeToGRPCCode} table (then gRPC code →
 * Twirp code), for the statuses a trunk or a phone commonly answers, with the protocol's fallbacks for the rest.
 */
final class SipStatuses {
    private static final Map<Integer, String> TWIRP_CODES = Map.ofEntries(
            Map.entry(400, "invalid_argument"),
            Map.entry(401, "permission_denied"),
            Map.entry(402, "permission_denied"),
            Map.entry(403, "permission_denied"),
            Map.entry(404, "not_found"),
            Map.entry(407, "unauthenticated"),
            Map.entry(408, "deadline_exceeded"),
            Map.entry(410, "not_found"),
            Map.entry(480, "resource_exhausted"),
            Map.entry(484, "invalid_argument"),
            Map.entry(486, "resource_exhausted"),
            Map.entry(487, "aborted"),
            Map.entry(488, "invalid_argument"),
            Map.entry(500, "failed_precondition"),
            Map.entry(501, "failed_precondition"),
            Map.entry(502, "failed_precondition"),
            Map.entry(503, "failed_precondition"),
            Map.entry(504, "deadline_exceeded"),
            Map.entry(600, "resource_exhausted"),
            Map.entry(603, "permission_denied"),
            Map.entry(604, "not_found"),
            Map.entry(606, "invalid_argument"),
            Map.entry(607, "permission_denied"),
            Map.entry(608, "permission_denied"));

    private SipStatuses() {
    }

    static String twirpCode(int sipStatus) {
        String code = TWIRP_CODES.get(sipStatus);
        if (code != null) {
            return code;
        }
        if (sipStatus < 300) {
            return "unknown";
        }
        return sipStatus >= 500 && sipStatus < 600 ? "failed_precondition" : "invalid_argument";
    }

    /** The protocol's enum name ({@code SIP_STATUS_BUSY_HERE}), which LiveKit sends when the response had no reason phrase. */
    static String protoName(int sipStatus) {
        SIPStatusCode code = SIPStatusCode.forNumber(sipStatus);
        return code == null ? "SIP_STATUS_" + sipStatus : code.name();
    }
}
