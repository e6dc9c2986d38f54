package dev.switchboard.gateway.api;

import dev.switchboard.gateway.api.CallRequests.TransferRequest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The destination rule both the dial's and the transfer's {@code to} are validated with (their @Pattern). */
class CallRequestsTest {
    private static final Pattern DESTINATION = Pattern.compile("(tel:)?" + CallRequests.E164 + "|" + CallRequests.SIP_URI);

    @Test
    void aSipAddressHoldsNoWhitespaceControlOrInvisibleCharacterOfAnyScript() {
        for (String bad : List.of("sip:bob\u00a0INVITE@example.com", "sip:\u202Emoc.evil@example.com", "sip:bob\u2028@example.com",
                "sip:bob\u200B@example.com", "sip:bob\u3000@example.com", "sip:bob\uFEFF@example.com", "sip:bob@example.com\u2066",
                "sip:bob\u001c@example.com", "sip:bob@example.com\u0085", "sip:bob example.com", "sip:bob@example.com\u009b2J",
                "sip:bob@example.com?Subject=x", "sip:bob\ud800@example.com")) {
            assertThat(DESTINATION.matcher(bad).matches()).as(bad.codePoints().mapToObj(Integer::toHexString).toList().toString()).isFalse();
        }
        for (String good : List.of("sip:bob@example.com", "sips:bob@example.com:5061", "sip:+15551234567@pbx.example.com;user=phone",
                "SIP:bob@example.com", "Sips:bob@example.com", "sip:zoë@exämple.com", "+15551234567", "tel:+15551234567")) {
            assertThat(DESTINATION.matcher(good).matches()).as(good).isTrue();
        }
    }

    @Test
    void theSchemeIsSentInLowerCase() {
        assertThat(CallRequests.sipScheme("SIP:Bob@Example.com")).isEqualTo("sip:Bob@Example.com");
        assertThat(CallRequests.sipScheme("SiPs:bob@example.com")).isEqualTo("sips:bob@example.com");
        assertThat(CallRequests.sipScheme("+15551234567")).isEqualTo("+15551234567");
        assertThat(new TransferRequest("SIP:desk@example.com", null, null).toPayload().getTo()).isEqualTo("sip:desk@example.com");
        assertThat(new TransferRequest("+15551234567", null, null).toPayload().getTo()).isEqualTo("tel:+15551234567");
    }

    @Test
    void telIsAcceptedInAnyCaseAsSipIs() {
        java.util.regex.Pattern accepted = java.util.regex.Pattern.compile(CallRequests.DESTINATION);
        for (String to : List.of("TEL:+15551234567", "Tel:+15551234567", "tel:+15551234567", "SIP:bob@pbx", "sip:bob@pbx", "+15551234567")) {
            assertThat(accepted.matcher(to).matches()).as(to).isTrue();
        }
        assertThat(accepted.matcher("TEL:15551234567").matches()).as("still E.164").isFalse();
        assertThat(new TransferRequest("TEL:+15551234567", null, null).toPayload().getTo()).isEqualTo("tel:+15551234567");
    }
}
