package dev.switchboard.controller.dial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.controller.hangup.Backoff;
import dev.switchboard.controller.hangup.RetryingCaller;
import dev.switchboard.controller.livekit.LiveKitApi;
import dev.switchboard.controller.livekit.LiveKitSettings;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.controller.livekit.FakeLiveKitPerClass;
import dev.switchboard.testing.livekit.FakeLiveKitServer;
import dev.switchboard.testing.livekit.FakeLiveKitServer.RecordedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitSip.CreateSIPParticipantRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_DISPATCH;
import static dev.switchboard.testing.livekit.FakeLiveKitServer.CREATE_SIP_PARTICIPANT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dial without an agent name (LiveKit's automatic dispatch: the worker registered without a name gets every new room,
 * with no job metadata), placed through the SDK against the fake LiveKit API: no dispatch is created, and the callee's
 * CreateSIPParticipant carries the dial's details as its {@value DispatchMetadata#PARTICIPANT_ATTRIBUTE} attribute, which
 * the SIP participant in the room then has for the agent to read.
 */
class AutomaticDispatchDialTest {
    private static final Commands COMMANDS = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));
    private static final ObjectMapper JSON = new ObjectMapper();
    @RegisterExtension
    static final FakeLiveKitPerClass LIVEKIT = new FakeLiveKitPerClass();

    private static FakeLiveKitServer livekit() {
        return LIVEKIT.server();
    }

    private LiveKitApi api;

    @BeforeEach
    void connect() {
        api = LIVEKIT.connect(livekit().apiSecret(), Duration.ofSeconds(2), new SimpleMeterRegistry());
    }

    @AfterEach
    void close() {
        api.close();
    }

    private static DialPlanner plannerWithoutAgentName() {
        SipSettings sip = new SipSettings() {
            public Optional<String> outboundTrunk() {
                return Optional.of(FakeLiveKitServer.DEFAULT_OUTBOUND_TRUNK);
            }

            public Optional<String> fromNumber() {
                return Optional.of("+15557654321");
            }

            public Optional<Duration> maxCallDuration() {
                return Optional.empty();
            }

            public Duration answerGrace() {
                return Duration.ofSeconds(2);
            }

            public Duration transferTimeout() {
                return Duration.ofSeconds(3);
            }
        };
        LiveKitSettings settings = new LiveKitSettings() {
            public Optional<String> url() {
                return Optional.of(livekit().wsUrl());
            }

            public Optional<String> apiKey() {
                return Optional.of(livekit().apiKey());
            }

            public Optional<String> apiSecret() {
                return Optional.of(livekit().apiSecret());
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(2);
            }

            public Optional<String> agentName() {
                return Optional.empty();
            }
        };
        return new DialPlanner(sip, settings);
    }

    @Test
    void theCalleeCarriesTheDialsDetailsWhenNoAgentIsDispatched() throws Exception {
        String room = "auto-dispatch-" + System.nanoTime();
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("tel:+15550111")
                .setInstructions("Remind the customer of tomorrow's delivery.").setMetadata(Map.of("orderId", "A-17"))
                .setMachineDetection(MachineDetection.LEAVE_MESSAGE).setVoicemailMessage("Please call Acme back.")
                .setFirstSpeaker(FirstSpeaker.AGENT).setMaxCallDurationSeconds(300).setRingingTimeoutSeconds(5).build();
        CallControlRequest request = CallControlRequest.newBuilder(COMMANDS.callControl(room, dial)).setTenant("acme").build();
        RetryingCaller retrying = new RetryingCaller(new Backoff(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(100)),
                new SimpleMeterRegistry());
        Dialer dialer = new Dialer(api.sip(), new AgentDispatcher(api.dispatch(), retrying), retrying);

        DialPlan plan = ((DialPlanner.Result.Ready) plannerWithoutAgentName().plan(request, dial)).plan();
        Dialer.Result result = dialer.dial(plan, () -> false);

        assertThat(result).isInstanceOf(Dialer.Result.Answered.class);
        assertThat(livekit().requests(CREATE_DISPATCH, room)).as("no explicit dispatch").isEmpty();
        RecordedRequest created = livekit().requests(CREATE_SIP_PARTICIPANT, room).getFirst();
        CreateSIPParticipantRequest sent = created.body(CreateSIPParticipantRequest.class);
        assertThat(sent.getParticipantAttributesMap()).containsEntry(DialPlanner.DIAL_COMMAND_ATTRIBUTE, request.getCommandId());
        JsonNode details = JSON.readTree(sent.getParticipantAttributesMap().get(DispatchMetadata.PARTICIPANT_ATTRIBUTE));
        assertThat(details.path("version").asInt()).isEqualTo(DispatchMetadata.VERSION);
        assertThat(details.path("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(details.path("dialCommandId").asText()).isEqualTo(request.getCommandId());
        assertThat(details.path("calleeNumber").asText()).isEqualTo("+15550111");
        assertThat(details.path("callerNumber").asText()).isEqualTo("+15557654321");
        assertThat(details.path("participantIdentity").asText()).isEqualTo("sip_+15550111");
        assertThat(details.path("firstSpeaker").asText()).isEqualTo("AGENT");
        assertThat(details.path("machineDetection").asText()).isEqualTo("LEAVE_MESSAGE");
        assertThat(details.path("voicemailMessage").asText()).isEqualTo("Please call Acme back.");
        assertThat(details.path("instructions").asText()).isEqualTo("Remind the customer of tomorrow's delivery.");
        assertThat(details.path("maxCallDurationSeconds").asInt()).isEqualTo(300);
        assertThat(details.path("tenant").asText()).isEqualTo("acme");
        assertThat(details.path("metadata").path("orderId").asText()).isEqualTo("A-17");
        // The callee in the room has them, next to the sip.* attributes LiveKit's SIP bridge sets.
        ParticipantInfo callee = livekit().findParticipant(room, "sip_+15550111").orElseThrow();
        assertThat(callee.getKind()).isEqualTo(ParticipantInfo.Kind.SIP);
        assertThat(callee.getAttributesMap())
                .containsEntry(DispatchMetadata.PARTICIPANT_ATTRIBUTE, plan.dispatchMetadata())
                .containsEntry("sip.phoneNumber", "+15550111")
                .containsEntry("sip.callStatus", "active");
    }
}
