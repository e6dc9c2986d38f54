package dev.switchboard.schemas;

import dev.switchboard.events.*;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated record for every top-level record and every union branch. */
public final class SampleRecords {
    private static final Instant T0 = Instant.parse("2026-11-24T10:15:30.123Z");
    private static final Issuer CRM = new Issuer(IssuerKind.SYSTEM, "crm", "Acme CRM", null);

    private SampleRecords() {
    }

    public static List<SessionCommand> sessionCommands() {
        return List.of(
                command("c-1", InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("Order shipped").setRespond(true).setLabel("crm").build()),
                command("c-2", Say.newBuilder().setText("One moment please").setAllowInterruptions(false).setAddToChatContext(true).build()),
                command("c-3", Interrupt.newBuilder().setReason("supervisor").build()),
                command("c-4", UpdateInstructions.newBuilder().setInstructions("Be brief.").setMode(InstructionsMode.APPEND).build()),
                command("c-5", EndSession.newBuilder().setReason("done").setGoodbye("Goodbye!").build()));
    }

    private static SessionCommand command(String id, Object payload) {
        return SessionCommand.newBuilder().setCommandId(id).setRoom("room-1").setIssuer(CRM)
                .setIssuedAt(T0).setExpiresAt(T0.plusSeconds(30)).setCorrelationId("ticket-9").setPayload(payload).build();
    }

    public static List<CommandResult> commandResults() {
        return List.of(CommandResult.newBuilder().setCommandId("c-1").setRoom("room-1").setCommandType("InjectContext")
                .setStatus(CommandStatus.REJECTED).setReason("session is ending").setDecidedAt(T0)
                .setSessionId("s-1").setWorkerId("w-1").build());
    }

    public static List<CallControlRequest> callControlRequests() {
        return List.of(
                control("h-1", HangupRequested.newBuilder().setReason(EndReason.AGENT_HANGUP).setDetail("task complete")
                        .setScope(HangupScope.REMOVE_SIP_PARTICIPANT).setParticipantIdentity("sip_+15550100")
                        .setTransport(Transport.LIVEKIT).setSessionId("s-1").build()),
                control("d-1", DialRequested.newBuilder().setSipTrunkId("ST_1").setPhoneNumber("+15550100").setFromNumber("+15550199")
                        .setParticipantIdentity("callee").setParticipantName("Callee").setAgentName("support")
                        .setInstructions("Confirm the appointment").setMetadata(Map.of("ticket", "9")).setWaitUntilAnswered(true)
                        .setRingingTimeoutSeconds(25).setMaxCallDurationSeconds(600).setPlayDialtone(true).setDtmf("1234#").build()),
                control("t-1", TransferRequested.newBuilder().setParticipantIdentity("sip_+15550100").setTransferTo("tel:+15550123")
                        .setPlayDialtone(false).build()));
    }

    private static CallControlRequest control(String id, Object payload) {
        return CallControlRequest.newBuilder().setCommandId(id).setRoom("room-1").setIssuer(CRM)
                .setIssuedAt(T0).setExpiresAt(T0.plusSeconds(30)).setPayload(payload).build();
    }

    public static List<SessionEvent> sessionEvents() {
        Usage usage = Usage.newBuilder().setLlmRequests(3).setLlmPromptTokens(1200).setLlmCompletionTokens(80)
                .setSttAudioSeconds(42.5).setTtsCharacters(300).setTtsAudioSeconds(20.25).setUserTurns(3).setAgentTurns(4).build();
        return List.of(
                event("e-1", SessionStarted.newBuilder().setTransport(Transport.LIVEKIT).setDirection(CallDirection.INBOUND)
                        .setAgentName("support").setWorkerId("w-1").setCallerNumber("+15550100").setCalleeNumber("+15550111")
                        .setSipCallId("SCL_1").setSipTrunkId("ST_1").setMetadata(Map.of("k", "v")).build()),
                event("e-2", ParticipantJoined.newBuilder().setIdentity("sip_+15550100").setName("Caller").setKind(ParticipantKind.SIP)
                        .setPhoneNumber("+15550100").setAttributes(Map.of("sip.callStatus", "active")).build()),
                event("e-3", ParticipantLeft.newBuilder().setIdentity("sip_+15550100").setKind(ParticipantKind.SIP)
                        .setDisconnectReason(DisconnectReason.CLIENT_INITIATED).build()),
                event("e-4", CallAnswered.newBuilder().setParticipantIdentity("callee").setPhoneNumber("+15550100")
                        .setSipCallId("SCL_2").setDialCommandId("d-1").setTenant("acme").setFromNumber("+15550199").setAgentName("support").build()),
                event("e-5", CallFailed.newBuilder().setParticipantIdentity("callee").setPhoneNumber("+15550100")
                        .setReason(CallFailureReason.BUSY).setDetail("486 Busy Here").setSipStatusCode(486).setDialCommandId("d-1")
                        .setTenant("acme").setFromNumber("+15550199").setAgentName("support").build()),
                event("e-6", CallEnded.newBuilder().setReason(EndReason.AGENT_HANGUP).setEndedBy(new Issuer(IssuerKind.LLM, "w-1", null, null))
                        .setDetail("task complete").setHangupCommandId("h-1").setMethod(HangupMethod.DELETE_ROOM).build()),
                event("e-7", SessionEnded.newBuilder().setReason(EndReason.AGENT_HANGUP).setEndedBy(CRM).setDetail("done")
                        .setDurationMs(61_000).setUsage(usage).build()),
                event("e-8", CallEnded.newBuilder().setReason(EndReason.TRANSFERRED).setEndedBy(CRM).setHangupCommandId("t-1")
                        .setMethod(HangupMethod.REMOVE_SIP_PARTICIPANT).setTransferTo("tel:+15550123").build()),
                event("e-9", TransferFailed.newBuilder().setParticipantIdentity("sip_+15550100").setTransferTo("tel:+15550124")
                        .setReason(CallFailureReason.BUSY).setSipStatusCode(486).setSipStatus("Busy Here").setDetail("refused")
                        .setTransferCommandId("t-2").setRequestedBy(CRM).build()));
    }

    private static SessionEvent event(String id, Object payload) {
        return SessionEvent.newBuilder().setEventId(id).setRoom("room-1").setSessionId("s-1").setOccurredAt(T0)
                .setSource("agent-worker").setPayload(payload).build();
    }

    public static List<TranscriptSegment> transcriptSegments() {
        return List.of(TranscriptSegment.newBuilder().setSegmentId("seg-1").setRoom("room-1").setSessionId("s-1").setSequence(4)
                .setRevision(2).setRole(SpeakerRole.AGENT).setParticipantIdentity("agent-w-1").setText("Your order")
                .setStartMs(1000).setEndMs(2500).setIsFinal(true).setInterrupted(true).setGeneratedText("Your order shipped today.")
                .setLanguage("en").setConfidence(0.92f).setInjectedBy(CRM).setCommandId("c-1").setLabel("crm").setCreatedAt(T0).build());
    }

    public static List<ControllerStatus> controllerStatuses() {
        return List.of(
                ControllerStatus.newBuilder().setControllerId("cc-1").setState(ControllerState.RUNNING).setSentAt(T0).setIntervalMs(5000)
                        .setCanDial(true).setCanTransfer(true).setDetail(null).build(),
                ControllerStatus.newBuilder().setControllerId("cc-2").setState(ControllerState.STOPPED).setSentAt(T0).setIntervalMs(5000)
                        .setCanDial(false).setCanTransfer(false)
                        .setDetail("LiveKit is not configured: set LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET").build());
    }
}
