package dev.switchboard.controller.livekit;

import dev.switchboard.testing.livekit.ApiFault;
import dev.switchboard.testing.livekit.DialOutcome;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import livekit.LivekitAgentDispatch.CreateAgentDispatchRequest;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_DISPATCH;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_SIP_PARTICIPANT;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.TRANSFER_SIP_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SDK's SIP and agent-dispatch clients (and its Twirp interface for the full CreateSIPParticipantRequest) against
 * the fake: the requests carry every field and the grants LiveKit requires, and answers are told apart as the dial
 * policy needs (an error with its SIP status, a request that never left, one that went unanswered).
 */
class SdkLiveKitSipTest {
    @RegisterExtension
    static final FakeLiveKitPerClass LIVEKIT = new FakeLiveKitPerClass();

    private static FakeLiveKitServer livekit() {
        return LIVEKIT.server();
    }

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private LiveKitApi api;

    @BeforeEach
    void connect() {
        api = LIVEKIT.connect(livekit().apiSecret(), Duration.ofSeconds(2), metrics);
    }

    private static OutboundCall call(String room, String number) {
        return new OutboundCall(room, FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK, number, "+15550000", "callee", "The callee",
                Map.of("switchboard.dialCommandId", "cmd-1"), Duration.ofSeconds(7), Duration.ofMinutes(10), false, "1234#");
    }

    @Test
    void createSipParticipantSendsEveryFieldWithTheSipCallGrant() {
        ApiAnswer<SipParticipant> answer = api.sip().createSipParticipant(call("sip-1", "+15550111"), Duration.ofSeconds(5));

        assertThat(answer).isInstanceOfSatisfying(ApiAnswer.Ok.class, ok -> {
            SipParticipant participant = (SipParticipant) ok.value();
            assertThat(participant.identity()).isEqualTo("callee");
            assertThat(participant.room()).isEqualTo("sip-1");
            assertThat(participant.sipCallId()).startsWith("SCL_");
        });
        var recorded = livekit().requests(CREATE_SIP_PARTICIPANT, "sip-1").getFirst();
        assertThat(recorded.contentType()).startsWith("application/protobuf");
        assertThat(recorded.sip()).containsEntry("call", true);
        CreateSIPParticipantRequest request = recorded.body(CreateSIPParticipantRequest.class);
        assertThat(request.getSipTrunkId()).isEqualTo(FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK);
        assertThat(request.getSipCallTo()).isEqualTo("+15550111");
        assertThat(request.getSipNumber()).isEqualTo("+15550000");
        assertThat(request.getParticipantIdentity()).isEqualTo("callee");
        assertThat(request.getParticipantName()).isEqualTo("The callee");
        assertThat(request.getParticipantAttributesMap()).containsEntry("switchboard.dialCommandId", "cmd-1");
        assertThat(request.getWaitUntilAnswered()).isTrue();
        assertThat(request.getRingingTimeout().getSeconds()).isEqualTo(7);
        assertThat(request.getMaxCallDuration().getSeconds()).isEqualTo(600);
        assertThat(request.getDtmf()).isEqualTo("1234#");
    }

    @Test
    void aRefusalCarriesTheSipStatus() {
        livekit().dialOutcome("+15550112", DialOutcome.declined());

        ApiAnswer<SipParticipant> answer = api.sip().createSipParticipant(call("sip-2", "+15550112"), Duration.ofSeconds(5));

        assertThat(answer).isInstanceOfSatisfying(ApiAnswer.Refused.class, refused -> {
            TwirpError error = refused.error();
            assertThat(error.httpStatus()).isEqualTo(403);
            assertThat(error.code()).isEqualTo("permission_denied");
            assertThat(error.sipStatusCode()).isEqualTo(603);
            assertThat(error.sipStatus()).isEqualTo("Decline");
        });
    }

    @Test
    void aRequestThatNeverLeftIsToldFromOneThatWentUnanswered() {
        var unreachable = LiveKitApi.connect("http://127.0.0.1:1/", "k", "s", Duration.ofSeconds(1), metrics, Clock.systemUTC());
        assertThat(unreachable.sip().createSipParticipant(call("sip-3", "+15550113"), Duration.ofSeconds(2)))
                .isInstanceOf(ApiAnswer.NotSent.class);

        livekit().faultNext(CREATE_SIP_PARTICIPANT, new ApiFault.Timeout(Duration.ofSeconds(2), true));
        assertThat(api.sip().createSipParticipant(call("sip-4", "+15550114"), Duration.ofMillis(500)))
                .isInstanceOf(ApiAnswer.NoAnswer.class);
    }

    @Test
    void transferSipParticipantHasSipCallAndRoomAdminForTheRoom() {
        livekit().room("sip-5", FakeLiveKitServer.sipParticipant("caller", "+15550115"));

        assertThat(api.sip().transferSipParticipant("sip-5", "caller", "tel:+15550199", true, Duration.ofSeconds(5)))
                .isInstanceOf(ApiAnswer.Ok.class);
        var recorded = livekit().requests(TRANSFER_SIP_PARTICIPANT, "sip-5").getFirst();
        assertThat(recorded.sip()).containsEntry("call", true);
        assertThat(recorded.video()).containsEntry("roomAdmin", true).containsEntry("room", "sip-5");
        assertThat(livekit().participants("sip-5")).isEmpty();
    }

    @Test
    void dispatchesAnAgentAndListsIt() {
        assertThat(api.dispatch().createDispatch("sip-6", "agent-a", "{\"dialCommandId\":\"c\"}")).isInstanceOfSatisfying(ApiAnswer.Ok.class,
                ok -> assertThat((String) ok.value()).startsWith("AD_"));
        var recorded = livekit().requests(CREATE_DISPATCH, "sip-6").getFirst();
        assertThat(recorded.video()).containsEntry("roomAdmin", true).containsEntry("room", "sip-6");
        assertThat(recorded.body(CreateAgentDispatchRequest.class).getAgentName()).isEqualTo("agent-a");
        assertThat(api.dispatch().listDispatches("sip-6")).isInstanceOfSatisfying(ApiAnswer.Ok.class,
                ok -> assertThat(ok.value()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                        .singleElement().isEqualTo(new AgentDispatchInfo(livekit().dispatches("sip-6").getFirst().getId(), "agent-a",
                                "{\"dialCommandId\":\"c\"}")));
    }
}
