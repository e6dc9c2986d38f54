package dev.switchboard.controller.dial;

import dev.switchboard.controller.livekit.LiveKitSettings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.events.CallControlRequest;
import dev.switchboard.events.DialRequested;
import dev.switchboard.events.FirstSpeaker;
import dev.switchboard.events.MachineDetection;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.schemas.client.Commands;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Defaults from configuration, the request's own values first. */
class DialPlannerTest {
    private static final Commands COMMANDS = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));

    private static SipSettings sip(String trunk, String from) {
        return new SipSettings() {
            public Optional<String> outboundTrunk() {
                return Optional.ofNullable(trunk);
            }

            public Optional<String> fromNumber() {
                return Optional.ofNullable(from);
            }

            public Optional<Duration> maxCallDuration() {
                return Optional.of(Duration.ofMinutes(20));
            }

            public Duration answerGrace() {
                return Duration.ofSeconds(15);
            }

            public Duration transferTimeout() {
                return Duration.ofSeconds(30);
            }
        };
    }

    private static LiveKitSettings livekit(String agentName) {
        return new LiveKitSettings() {
            public Optional<String> url() {
                return Optional.of("ws://livekit");
            }

            public Optional<String> apiKey() {
                return Optional.of("k");
            }

            public Optional<String> apiSecret() {
                return Optional.of("s");
            }

            public Duration requestTimeout() {
                return Duration.ofSeconds(10);
            }

            public Optional<String> agentName() {
                return Optional.ofNullable(agentName);
            }
        };
    }

    private static DialPlanner.Result plan(DialPlanner planner, DialRequested dial) {
        CallControlRequest request = COMMANDS.callControl("room-1", dial);
        return planner.plan(request, dial);
    }

    @Test
    void takesTheTrunkCallerIdAgentAndLimitsFromConfigurationWhenTheDialNamesNone() {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit("agent-a"));

        var plan = ((DialPlanner.Result.Ready) plan(planner, DialRequested.newBuilder().setSipTrunkId(" ").setPhoneNumber("tel:+15550100").build())).plan();

        assertThat(plan.call().trunkId()).isEqualTo("ST_default");
        assertThat(plan.call().number()).isEqualTo("+15550100");
        assertThat(plan.call().fromNumber()).isEqualTo("+15550000");
        assertThat(plan.call().identity()).isEqualTo("sip_+15550100");
        assertThat(plan.call().ringingTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(plan.call().maxCallDuration()).isEqualTo(Duration.ofMinutes(20));
        assertThat(plan.call().attributes()).containsEntry(DialPlanner.DIAL_COMMAND_ATTRIBUTE, plan.commandId());
        assertThat(plan.agentName()).hasValue("agent-a");
        assertThat(plan.answerWait()).isEqualTo(Duration.ofSeconds(45));
    }

    @ParameterizedTest
    @MethodSource("refusedAsTheGatewayWould")
    void aDialTheGatewayWouldRefuseIsNotPlaced(DialRequested.Builder dial, String why) {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit("agent-a"));

        var result = plan(planner, dial.build());

        assertThat(result).isInstanceOfSatisfying(DialPlanner.Result.Unplaceable.class,
                unplaceable -> assertThat(unplaceable.reason()).contains(why).endsWith("; not dialled").doesNotContain("not-a-number"));
    }

    static Stream<Arguments> refusedAsTheGatewayWould() {
        return Stream.of(
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("not-a-number"), "neither an E.164 number"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("15550100"), "neither an E.164 number"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setFromNumber("not-a-number"),
                        "fromNumber is not an E.164 number"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setRingingTimeoutSeconds(0),
                        "ringingTimeoutSeconds is 0: it must be from 1 to 300"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setRingingTimeoutSeconds(-5),
                        "ringingTimeoutSeconds is -5"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setRingingTimeoutSeconds(301),
                        "ringingTimeoutSeconds is 301"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setMaxCallDurationSeconds(-1),
                        "maxCallDurationSeconds is -1"),
                Arguments.of(DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550100").setMaxCallDurationSeconds(0),
                        "maxCallDurationSeconds is 0"));
    }

    @Test
    void aSipUserIsDialledAsTheGatewayAllowsItAndAFullSipUriIsNot() {
        var planner = new DialPlanner(sip("ST_default", null), livekit("agent-a"));

        assertThat(plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("sip:bob").build()))
                .isInstanceOf(DialPlanner.Result.Ready.class);
        assertThat(plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("sip:bob@pbx.example.com").build()))
                .isInstanceOfSatisfying(DialPlanner.Result.Unplaceable.class, refused -> assertThat(refused.reason())
                        .contains("LiveKit calls a SIP user at the outbound trunk's address, and takes no host per call"));
    }

    @Test
    void theDialsOwnValuesWin() {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit("agent-a"));

        var plan = ((DialPlanner.Result.Ready) plan(planner, DialRequested.newBuilder().setSipTrunkId("ST_own").setPhoneNumber("+15550101")
                .setFromNumber("+15559999").setAgentName("agent-b").setParticipantIdentity("callee").setRingingTimeoutSeconds(12)
                .setMaxCallDurationSeconds(300).setMetadata(Map.of("k", "v")).build())).plan();

        assertThat(plan.call().trunkId()).isEqualTo("ST_own");
        assertThat(plan.call().fromNumber()).isEqualTo("+15559999");
        assertThat(plan.call().identity()).isEqualTo("callee");
        assertThat(plan.call().ringingTimeout()).isEqualTo(Duration.ofSeconds(12));
        assertThat(plan.call().maxCallDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(plan.agentName()).hasValue("agent-b");
        assertThat(plan.dispatchMetadata()).contains("\"participantIdentity\":\"callee\"", "\"metadata\":{\"k\":\"v\"}");
    }

    @Test
    void theDispatchMetadataCarriesWhatTheAgentNeedsToRunTheOutboundCall() throws Exception {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit("agent-a"));
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("tel:+15550104")
                .setInstructions("Confirm the appointment.").setMetadata(Map.of("customer", "42"))
                .setMachineDetection(MachineDetection.LEAVE_MESSAGE).setVoicemailMessage("Please call us back.")
                .setMaxCallDurationSeconds(600).build();
        CallControlRequest request = CallControlRequest.newBuilder(COMMANDS.callControl("room-4", dial)).setTenant("acme").build();

        var plan = ((DialPlanner.Result.Ready) planner.plan(request, dial)).plan();

        JsonNode metadata = new ObjectMapper().readTree(plan.dispatchMetadata());
        assertThat(metadata.path("version").asInt()).isEqualTo(DispatchMetadata.VERSION);
        assertThat(metadata.path("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(metadata.path("room").asText()).isEqualTo("room-4");
        assertThat(metadata.path("dialCommandId").asText()).isEqualTo(request.getCommandId());
        assertThat(metadata.path("calleeNumber").asText()).isEqualTo("+15550104");
        assertThat(metadata.path("callerNumber").asText()).isEqualTo("+15550000");
        assertThat(metadata.path("sipTrunkId").asText()).isEqualTo("ST_default");
        assertThat(metadata.path("participantIdentity").asText()).isEqualTo("sip_+15550104");
        assertThat(metadata.path("firstSpeaker").asText()).isEqualTo("CALLEE");
        assertThat(metadata.path("machineDetection").asText()).isEqualTo("LEAVE_MESSAGE");
        assertThat(metadata.path("voicemailMessage").asText()).isEqualTo("Please call us back.");
        assertThat(metadata.path("instructions").asText()).isEqualTo("Confirm the appointment.");
        assertThat(metadata.path("maxCallDurationSeconds").asInt()).isEqualTo(600);
        assertThat(metadata.path("ringingTimeoutSeconds").asInt()).isEqualTo(30);
        assertThat(metadata.path("tenant").asText()).isEqualTo("acme");
        assertThat(metadata.path("metadata").path("customer").asText()).isEqualTo("42");
    }

    @Test
    void anAgentAskedToOpenSpeaksFirstAndNoDetectionLeavesTheFieldsOut() throws Exception {
        var planner = new DialPlanner(sip("ST_default", null), livekit("agent-a"));

        var plan = ((DialPlanner.Result.Ready) plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550105")
                .setFirstSpeaker(FirstSpeaker.AGENT).build())).plan();

        JsonNode metadata = new ObjectMapper().readTree(plan.dispatchMetadata());
        assertThat(metadata.path("firstSpeaker").asText()).isEqualTo("AGENT");
        assertThat(metadata.has("machineDetection")).isFalse();
        assertThat(metadata.has("voicemailMessage")).isFalse();
        assertThat(metadata.has("callerNumber")).isFalse();
        assertThat(metadata.has("tenant")).isFalse();
        assertThat(metadata.path("maxCallDurationSeconds").asInt()).isEqualTo(1200);
    }

    @Test
    void withoutATrunkThereIsNothingToDialAndTheReasonSaysWhatToSet() {
        var planner = new DialPlanner(sip(null, null), livekit(null));

        var result = plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550102").build());

        assertThat(result).isInstanceOfSatisfying(DialPlanner.Result.Unplaceable.class,
                unplaceable -> assertThat(unplaceable.reason()).contains("SWITCHBOARD_SIP_OUTBOUND_TRUNK"));
    }

    @Test
    void withoutAnAgentNameNoAgentIsDispatchedExplicitly() {
        var planner = new DialPlanner(sip("ST_default", null), livekit(null));

        var plan = ((DialPlanner.Result.Ready) plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550103").build())).plan();

        assertThat(plan.agentName()).isEmpty();
        assertThat(plan.call().fromNumber()).isNull();
    }

    @Test
    void withoutAnAgentNameTheCalleeCarriesTheDialsDetailsForTheAutomaticallyDispatchedAgent() throws Exception {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit(null));
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550106")
                .setInstructions("Confirm the appointment.").setMetadata(Map.of("customer", "42"))
                .setMachineDetection(MachineDetection.HANGUP).build();

        var plan = ((DialPlanner.Result.Ready) plan(planner, dial)).plan();

        assertThat(plan.call().attributes()).containsOnlyKeys(DialPlanner.DIAL_COMMAND_ATTRIBUTE, DispatchMetadata.PARTICIPANT_ATTRIBUTE)
                .containsEntry(DialPlanner.DIAL_COMMAND_ATTRIBUTE, plan.commandId())
                .containsEntry(DispatchMetadata.PARTICIPANT_ATTRIBUTE, plan.dispatchMetadata());
        JsonNode details = new ObjectMapper().readTree(plan.call().attributes().get(DispatchMetadata.PARTICIPANT_ATTRIBUTE));
        assertThat(details.path("direction").asText()).isEqualTo("OUTBOUND");
        assertThat(details.path("instructions").asText()).isEqualTo("Confirm the appointment.");
        assertThat(details.path("machineDetection").asText()).isEqualTo("HANGUP");
        assertThat(details.path("metadata").path("customer").asText()).isEqualTo("42");
    }

    @Test
    void aDispatchedAgentGetsTheDetailsInItsJobAndTheCalleeOnlyTheDialsMark() {
        var planner = new DialPlanner(sip("ST_default", "+15550000"), livekit("agent-a"));

        var plan = ((DialPlanner.Result.Ready) plan(planner, DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550107")
                .setInstructions("Confirm the appointment.").build())).plan();

        assertThat(plan.call().attributes()).containsOnlyKeys(DialPlanner.DIAL_COMMAND_ATTRIBUTE);
    }

    @Test
    void detailsTooLargeForTheCalleesAttributesAreNotDialledWithoutAnAgentToReceiveThem() {
        String instructions = "Ü".repeat(DispatchMetadata.MAX_PARTICIPANT_ATTRIBUTES_BYTES / 2); // two bytes each in UTF-8
        DialRequested dial = DialRequested.newBuilder().setSipTrunkId("").setPhoneNumber("+15550108").setInstructions(instructions).build();

        var result = plan(new DialPlanner(sip("ST_default", null), livekit(null)), dial);

        assertThat(result).isInstanceOfSatisfying(DialPlanner.Result.Unplaceable.class, unplaceable -> assertThat(unplaceable.reason())
                .contains("bytes", String.valueOf(DispatchMetadata.MAX_PARTICIPANT_ATTRIBUTES_BYTES), "SWITCHBOARD_LIVEKIT_AGENT_NAME",
                        "not dialled"));
        // A named agent receives them in its job: the dial goes ahead.
        assertThat(plan(new DialPlanner(sip("ST_default", null), livekit("agent-a")), dial)).isInstanceOf(DialPlanner.Result.Ready.class);
    }
}
