package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.ApiAnswer;
import dev.switchboard.controller.livekit.TwirpError;
import dev.switchboard.events.CallFailureReason;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's outcome table, and what may be dialled again. */
class SipOutcomesTest {

    @ParameterizedTest
    @CsvSource({
            "486, BUSY", "600, BUSY", "603, DECLINED",
            "480, NO_ANSWER", "408, NO_ANSWER", "487, NO_ANSWER",
            "404, INVALID_NUMBER", "484, INVALID_NUMBER", "410, INVALID_NUMBER",
            "401, TRUNK_REJECTED", "403, TRUNK_REJECTED", "407, TRUNK_REJECTED",
            "500, TRUNK_UNAVAILABLE", "502, TRUNK_UNAVAILABLE", "503, TRUNK_UNAVAILABLE", "504, TRUNK_UNAVAILABLE",
            "488, FAILED", "604, FAILED", "402, FAILED"})
    void mapsTheSipStatus(int sipStatus, CallFailureReason reason) {
        assertThat(SipOutcomes.reasonFor(sipStatus)).isEqualTo(reason);
    }

    private static ApiAnswer<Void> refused(int httpStatus, String code, String msg, Map<String, String> meta) {
        return new ApiAnswer.Refused<>(new TwirpError(httpStatus, code, msg, meta));
    }

    @Test
    void aSipStatusIsFinalWhateverTheHttpStatus() {
        // LiveKit sends 486 as 429 resource_exhausted: a status a naive policy would retry, ringing the phone again.
        var busy = SipOutcomes.classify(refused(429, "resource_exhausted", "twirp error unknown: INVITE failed: sip status: 486: Busy Here",
                Map.of("sip_status_code", "486", "sip_status", "Busy Here")));
        assertThat(busy).isInstanceOfSatisfying(SipAttempt.Failed.class, failed -> {
            assertThat(failed.failure().reason()).isEqualTo(CallFailureReason.BUSY);
            assertThat(failed.failure().sipStatusCode()).isEqualTo(486);
            assertThat(failed.failure().sipStatus()).isEqualTo("Busy Here");
        });
        var trunkDown = SipOutcomes.classify(refused(412, "failed_precondition", "sip status: 503", Map.of("sip_status_code", "503")));
        assertThat(trunkDown).isInstanceOfSatisfying(SipAttempt.Failed.class,
                failed -> assertThat(failed.failure().reason()).isEqualTo(CallFailureReason.TRUNK_UNAVAILABLE));
    }

    @Test
    void liveKitsRingingTimeoutIsNoAnswerAndFinal() {
        var timedOut = SipOutcomes.classify(refused(408, "canceled", "twirp error unknown: sip request timed out", Map.of()));
        assertThat(timedOut).isInstanceOfSatisfying(SipAttempt.Failed.class, failed -> {
            assertThat(failed.failure().reason()).isEqualTo(CallFailureReason.NO_ANSWER);
            assertThat(failed.failure().sipStatusCode()).isNull();
        });
        // The same deadline, surfacing differently (livekit/sip#857).
        var race = SipOutcomes.classify(refused(412, "failed_precondition", "twirp error unknown: context deadline exceeded", Map.of()));
        assertThat(race).isInstanceOfSatisfying(SipAttempt.Failed.class,
                failed -> assertThat(failed.failure().reason()).isEqualTo(CallFailureReason.NO_ANSWER));
    }

    @Test
    void onlyWhatCertainlyDidNotReachThePhoneNetworkMayBeTriedAgain() {
        assertThat(SipOutcomes.classify(new ApiAnswer.NotSent<>("connection refused"))).isInstanceOf(SipAttempt.NotPlaced.class);
        assertThat(SipOutcomes.classify(refused(503, "unavailable", "no response from servers", Map.of()))).isInstanceOf(SipAttempt.NotPlaced.class);
        assertThat(SipOutcomes.classify(refused(429, "resource_exhausted", "rate limited", Map.of()))).isInstanceOf(SipAttempt.NotPlaced.class);

        assertThat(SipOutcomes.classify(new ApiAnswer.NoAnswer<>("timeout"))).isInstanceOfSatisfying(SipAttempt.Failed.class,
                failed -> assertThat(failed.failure().detail()).contains("may have rung"));
        assertThat(SipOutcomes.classify(refused(500, "internal", "no To header in INVITE response", Map.of()))).isInstanceOf(SipAttempt.Failed.class);
        assertThat(SipOutcomes.classify(refused(502, null, "<html>Bad Gateway</html>", Map.of()))).isInstanceOf(SipAttempt.Failed.class);
        assertThat(SipOutcomes.classify(refused(404, "not_found", "requested sip trunk does not exist", Map.of())))
                .isInstanceOfSatisfying(SipAttempt.Failed.class, failed -> assertThat(failed.failure().reason()).isEqualTo(CallFailureReason.FAILED));
    }
}
