package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.events.AnswerClassified;
import dev.switchboard.events.AnsweredBy;
import dev.switchboard.events.CallDirection;
import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.SessionStarted;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.events.Transport;
import dev.switchboard.livekit.ffi.SipDtmf;
import dev.switchboard.livekit.ffi.sfu.SfuTestSupport;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.KafkaTestResource;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.testing.llm.FakeLlmResource;
import dev.switchboard.testing.sfu.AccessTokens;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.worker.livekit.JobRunner;
import dev.switchboard.worker.livekit.LiveKitCallRunner;
import dev.switchboard.worker.voice.SpeechAudio;
import dev.switchboard.worker.voice.audio.MonoAudio;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import livekit.LivekitAgent;
import livekit.LivekitModels;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A call through the worker's LiveKit path, on LiveKit's real media engine against the fake SFU: the SIP caller
 * speaks (real speech audio), the agent hears, answers with synthesized audio the SFU receives, sends live
 * captions, and the session ends when the caller hangs up.
 */
@QuarkusTest
@WithTestResource(value = KafkaTestResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeLlmResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = FakeSpeechResource.class, scope = TestResourceScope.GLOBAL)
class LiveKitCallTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    LiveKitCallRunner runner;

    /** The agent's entry among the SFU's past clients, once it has left. */
    private static com.fasterxml.jackson.databind.JsonNode leftTheRoom(FakeSfuControl control, String identity) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (var client : control.state().path("pastClients")) {
                if (identity.equals(client.path("identity").asText()) && client.path("leaveReceived").asBoolean()) {
                    return client;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the agent did not leave the room cleanly: " + control.state().toPrettyString());
    }

    private SfuCall startCall(String name) throws Exception {
        return startCall(name, FakeSfuControl.ParticipantSpec.sipCaller("+15550100"));
    }

    /** A call with this caller, whose job has no dispatch metadata (as LiveKit's automatic dispatch gives it). */
    private SfuCall startCall(String name, FakeSfuControl.ParticipantSpec callerSpec) throws Exception {
        return startCall(name, callerSpec, null);
    }

    /** A call with this caller, whose job carries this dispatch metadata (null: none). */
    private SfuCall startCall(String name, FakeSfuControl.ParticipantSpec callerSpec, String jobMetadata) throws Exception {
        return SfuCall.start(runner, name, callerSpec, jobMetadata);
    }

    private static FakeLlmControl llm() {
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        return llm;
    }

    @Test
    void theCallerCutsInAndPlayoutStopsWithOnlyTheHeardWordsKept() throws Exception {
        var llm = llm();
        String longAnswer = "Let me tell you about all our shipping options. Standard shipping takes five working days. "
                + "Express shipping arrives within two days. Overnight delivery is available for urgent orders.";
        llm.replyText(longAnswer).replyText(""); // the answer to the interruption says nothing: only the cut-off is heard
        try (SfuCall call = startCall("barge-in")) {
            call.callerSays(FakeSpeechResource.CALLER_SAYS);
            long deadline = System.currentTimeMillis() + 30_000;
            while (call.agentAudioMs() < 1500 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(call.agentAudioMs()).as("the agent was speaking").isGreaterThanOrEqualTo(1500);

            call.callerSays("Stop, I only need express.");

            TranscriptSegment cut = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT
                    && s.getInterrupted(), WAIT);
            assertThat(cut.getGeneratedText()).isEqualTo(longAnswer);
            assertThat(longAnswer).startsWith(cut.getText());
            assertThat(cut.getText().length()).isLessThan(longAnswer.length() / 2);
            // Playout stopped: two seconds after the caller started, the SFU hears no more of the agent.
            Thread.sleep(2000);
            long afterStop = call.agentAudioMs();
            Thread.sleep(2000);
            assertThat(call.agentAudioMs()).as("agent audio after the barge-in settled").isEqualTo(afterStop);
            assertThat(afterStop).as("heard much less than the whole answer (60 ms per character)").isLessThan(longAnswer.length() * 60L / 2);
        }
    }

    @Test
    void theGoodbyeIsHeardInFullBeforeTheHangUpIsRequested() throws Exception {
        var llm = llm();
        String goodbye = "Thank you for calling Acme. Have a wonderful day. Goodbye!";
        llm.replyWithTool(goodbye, "end_call", Map.of("reason", "caller is done"));
        try (SfuCall call = startCall("goodbye");
             var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new dev.switchboard.schemas.serde.CallControlRequestDeserializer())) {
            call.callerSays(FakeSpeechResource.CALLER_SAYS);

            var hangup = control.awaitRecord(r -> call.room().equals(r.key()), WAIT);
            assertThat(hangup.value().getPayload()).isInstanceOf(dev.switchboard.events.HangupRequested.class);
            // The SFU heard the whole goodbye (the fake TTS speaks 60 ms per character)...
            long heardMs = call.agentAudioMs();
            assertThat(heardMs).as("ms of the goodbye the SFU heard").isGreaterThanOrEqualTo(goodbye.length() * 60L - 300);
            // ...and its last audio arrived before the hang-up was requested (wall clocks of one machine; the
            // SFU hears audio a network hop after the engine played it, hence the small allowance).
            long origin = call.control().state().path("originEpochMs").asLong();
            double lastLoudMs = call.control().receivedAudio(100).tracks().stream().flatMap(t -> t.windows().stream())
                    .filter(w -> w.rms() > 0.05).mapToDouble(w -> w.startMs() + 100).max().orElseThrow();
            assertThat(origin + (long) lastLoudMs).isLessThanOrEqualTo(hangup.timestamp() + 250);
        }
    }

    @Test
    void aCallerHangingUpMidSentenceStillLeavesAFinalLine() throws Exception {
        llm();
        try (SfuCall call = startCall("hang-up-mid-turn")) {
            call.callerSays(FakeSpeechResource.CALLER_SAYS);
            // Leave as soon as the words are out: before the VAD's silence could end the turn.
            Thread.sleep(SpeechAudio.speak(FakeSpeechResource.CALLER_SAYS).durationMicros() / 1000 + 100);
            call.control().leaveParticipant(call.caller().identity(), "CLIENT_INITIATED");

            TranscriptSegment last = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.USER
                    && s.getIsFinal(), WAIT);
            assertThat(last.getText()).isEqualTo(FakeSpeechResource.CALLER_SAYS);
            SessionEnded ended = (SessionEnded) call.events().await(e -> call.room().equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT)
                    .getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.CALLER_HANGUP);
            call.job().ended().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theAgentSpeaksFirstWhenTheDispatchSaysSo() throws Exception {
        SfuCall.requireEngine(runner.unavailable());
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        llm.replyText("Hello, this is Acme calling about your delivery.");
        String room = "lk-open-" + System.nanoTime();
        try (FakeSfuProcess sfu = SfuTestSupport.startSfu("worker-open");
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            FakeSfuControl control = sfu.control();
            // The callee: LiveKit names the far end of the SIP leg sip.phoneNumber, whichever way the call goes.
            control.joinParticipant(FakeSfuControl.ParticipantSpec.sipCaller("+15550111").withAudio(FakeSfuControl.AudioSpec.silence()), room);
            var job = LivekitAgent.Job.newBuilder().setId("AJ_" + room).setType(LivekitAgent.JobType.JT_ROOM)
                    .setMetadata("""
                            {"direction": "OUTBOUND", "dialCommandId": "dial-open-1", "firstSpeaker": "AGENT",
                             "callerNumber": "+15557654321", "metadata": {"orderId": "A-17"}}""")
                    .setRoom(LivekitModels.Room.newBuilder().setName(room)).build();
            JobRunner.RunningJob running = runner.start(job, sfu.url(), sfu.token(AccessTokens.Grant.agent("agent-" + room, room)));
            running.started().get(30, TimeUnit.SECONDS);

            var started = (SessionStarted) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT)
                    .getPayload();
            assertThat(started.getDirection()).isEqualTo(CallDirection.OUTBOUND);
            assertThat(started.getCallerNumber()).as("our number, from the dial").isEqualTo("+15557654321");
            assertThat(started.getCalleeNumber()).as("the number dialled").isEqualTo("+15550111");
            assertThat(started.getMetadata()).containsEntry("dial.orderId", "A-17");
            assertThat(started.getDialCommandId()).as("the dial that placed the call").isEqualTo("dial-open-1");

            // Nobody has said a word: the agent opens, knowing whom it called and why.
            TranscriptSegment opening = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(opening.getText()).isEqualTo("Hello, this is Acme calling about your delivery.");
            assertThat(opening.getSequence()).as("the first line of the call").isZero();
            assertThat(llm.lastMessages().getFirst().path("content").asText())
                    .contains("outbound phone call that you placed to +15550111 from +15557654321", "- orderId: A-17");
            running.terminate().run();
            running.ended().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAutomaticallyDispatchedAgentLearnsTheDialFromTheSipParticipantsAttributes() throws Exception {
        var llm = llm();
        llm.replyText("Hello, this is Acme about your delivery.");
        // Dialled without an agent name: the job carries no metadata, the callee the controller created carries the
        // dial's details (CreateSIPParticipant's participant_attributes), next to LiveKit's sip.* attributes.
        String details = """
                {"version": 1, "direction": "OUTBOUND", "dialCommandId": "dial-auto-1", "calleeNumber": "+15550112",
                 "callerNumber": "+15557654321", "sipTrunkId": "ST_fake", "participantIdentity": "sip_+15550112",
                 "firstSpeaker": "CALLEE", "machineDetection": "CONTINUE", "maxCallDurationSeconds": 600,
                 "instructions": "You are Acme's delivery assistant. Confirm tomorrow's delivery window.",
                 "ringingTimeoutSeconds": 30, "tenant": "acme", "metadata": {"orderId": "A-18"}}""";
        var callee = FakeSfuControl.ParticipantSpec.sipCaller("+15550112").withAttributes(Map.of(
                "sip.callID", "SCL_auto", "sip.trunkID", "ST_fake", "sip.phoneNumber", "+15550112",
                "sip.trunkPhoneNumber", "+15550199", "sip.callStatus", "active",
                "switchboard.dialCommandId", "dial-auto-1", "switchboard.dial", details));
        try (SfuCall call = startCall("auto-dispatch", callee)) {
            var started = (SessionStarted) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof SessionStarted, WAIT).getPayload();
            assertThat(started.getDirection()).isEqualTo(CallDirection.OUTBOUND);
            assertThat(started.getCallerNumber()).as("our number, from the dial").isEqualTo("+15557654321");
            assertThat(started.getCalleeNumber()).as("the number dialled").isEqualTo("+15550112");
            assertThat(started.getTenant()).as("the dial's tenant").isEqualTo("acme");
            assertThat(started.getDialCommandId()).as("the dial that placed the call").isEqualTo("dial-auto-1");
            assertThat(started.getMetadata()).containsEntry("dial.orderId", "A-18").containsEntry("sip.callID", "SCL_auto")
                    .doesNotContainKey("switchboard.dial");

            // The callee answers "hello": screened as the dial asked (a human), then the agent replies, knowing the call.
            call.callerSays(FakeSpeechResource.CALLER_SAYS);
            var classified = (AnswerClassified) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof AnswerClassified, WAIT).getPayload();
            assertThat(classified.getAnsweredBy()).isEqualTo(AnsweredBy.HUMAN);
            TranscriptSegment reply = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(reply.getText()).isEqualTo("Hello, this is Acme about your delivery.");
            assertThat(llm.lastMessages().getFirst().path("content").asText()).contains(
                    "You are Acme's delivery assistant. Confirm tomorrow's delivery window.",
                    "outbound phone call that you placed to +15550112 from +15557654321", "- orderId: A-18");
        }
    }

    /** A voicemail greeting as the recognizer writes it, and as the callee's machine speaks it (one breath: one utterance). */
    private static final String GREETING_HEARD = "You have reached Sam, please leave a message after the beep.";
    private static final String GREETING_SPOKEN = "You have reached Sam please leave a message after the beep";

    /** A callee the call controller dialled: LiveKit's sip.* attributes and the dial's command id. */
    private static FakeSfuControl.ParticipantSpec dialledCallee(String number, String dialCommandId) {
        return FakeSfuControl.ParticipantSpec.sipCaller(number).withAttributes(Map.of(
                "sip.callID", "SCL_" + dialCommandId, "sip.trunkID", "ST_fake", "sip.phoneNumber", number,
                "sip.trunkPhoneNumber", "+15550199", "sip.callStatus", "active", "switchboard.dialCommandId", dialCommandId));
    }

    /** The dispatch metadata of a dial with answering-machine detection, as the call controller writes it. */
    private static String dialWithDetection(String dialCommandId, String number, String machineDetection, String voicemailMessage) {
        var details = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                .put("version", 1).put("direction", "OUTBOUND").put("dialCommandId", dialCommandId).put("calleeNumber", number)
                .put("callerNumber", "+15557654321").put("sipTrunkId", "ST_fake").put("participantIdentity", "sip_" + number)
                .put("firstSpeaker", "CALLEE").put("machineDetection", machineDetection).put("ringingTimeoutSeconds", 30);
        if (voicemailMessage != null) {
            details.put("voicemailMessage", voicemailMessage);
        }
        details.putObject("metadata");
        return details.toString();
    }

    /** Whether the model was asked anything about the call to this number. */
    private static boolean modelAskedAbout(FakeLlmControl llm, String number) {
        return llm.requests().stream().anyMatch(r -> r.toString().contains(number));
    }

    @Test
    void onAVoicemailGreetingTheAgentLeavesTheMessageThenHangsUpWithVoicemail() throws Exception {
        var llm = llm();
        String message = "Hi Sam, this is Acme about your delivery tomorrow. Please call us back.";
        String number = "+15550113";
        try (SfuCall call = startCall("voicemail", dialledCallee(number, "dial-vm-1"), dialWithDetection("dial-vm-1", number, "LEAVE_MESSAGE", message));
             var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new dev.switchboard.schemas.serde.CallControlRequestDeserializer())) {
            SessionEvent startedEvent = call.events().await(e -> call.room().equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);
            var started = (SessionStarted) startedEvent.getPayload();
            assertThat(started.getDirection()).isEqualTo(CallDirection.OUTBOUND);
            assertThat(started.getDialCommandId()).isEqualTo("dial-vm-1");

            // The callee's voicemail picks up and plays its greeting, then, after a pause, its beep: the machine records.
            FakeSpeechResource.nextHeard(GREETING_HEARD);
            MonoAudio greetingSpoken = SpeechAudio.speak(GREETING_SPOKEN);
            Path greetingThenBeep = Files.createTempFile("voicemail", ".pcm");
            greetingThenBeep.toFile().deleteOnExit();
            Files.write(greetingThenBeep, SpeechAudio.concat(greetingSpoken, SpeechAudio.silence(1500),
                    SpeechAudio.tone(1000, 8000, 400), SpeechAudio.silence(1000)).toLittleEndianBytes());
            long sfuOrigin = call.control().state().path("originEpochMs").asLong();
            long playedFromMs = System.currentTimeMillis() - sfuOrigin;
            call.callerPlays(greetingThenBeep);
            long beepEndsMs = playedFromMs + greetingSpoken.durationMicros() / 1000 + 1500 + 400;

            var classified = (AnswerClassified) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof AnswerClassified, WAIT).getPayload();
            assertThat(classified.getAnsweredBy()).isEqualTo(AnsweredBy.MACHINE);
            assertThat(classified.getDetail()).contains("leave a message");
            TranscriptSegment greeting = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.USER
                    && s.getIsFinal(), WAIT);
            assertThat(greeting.getText()).isEqualTo(GREETING_HEARD);
            TranscriptSegment verdict = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.SYSTEM, WAIT);
            assertThat(verdict.getText()).startsWith("answered by an answering machine");

            // The agent leaves the message, in full, then asks for the hang-up.
            TranscriptSegment left = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(left.getText()).isEqualTo(message);
            assertThat(left.getInterrupted()).isFalse();
            var request = control.awaitRecord(r -> call.room().equals(r.key())
                    && r.value().getPayload() instanceof dev.switchboard.events.HangupRequested, WAIT);
            var hangup = (dev.switchboard.events.HangupRequested) request.value().getPayload();
            assertThat(hangup.getReason()).isEqualTo(EndReason.VOICEMAIL);
            assertThat(hangup.getDetail()).startsWith("left a message after the beep");
            assertThat(hangup.getSessionId()).isEqualTo(startedEvent.getSessionId());
            // The message began once the beep was over (not over the greeting's pause, nor seconds later).
            double firstLoudMs = call.control().receivedAudio(100).tracks().stream().flatMap(t -> t.windows().stream())
                    .filter(w -> w.rms() > 0.05).mapToDouble(FakeSfuControl.Window::startMs).min().orElseThrow();
            assertThat(firstLoudMs).as("when the message began, in the SFU's ms; the beep ended at about " + beepEndsMs)
                    .isBetween(beepEndsMs - 150.0, beepEndsMs + 1500.0);
            assertThat(request.value().getIssuer().getId()).isEqualTo("machine-detection");
            // The SFU heard the whole message (the fake TTS speaks 60 ms per character) before the hang-up was asked for.
            assertThat(call.agentAudioMs()).as("ms of the message the room heard").isGreaterThanOrEqualTo(message.length() * 60L - 300);
            long origin = sfuOrigin;
            double lastLoudMs = call.control().receivedAudio(100).tracks().stream().flatMap(t -> t.windows().stream())
                    .filter(w -> w.rms() > 0.05).mapToDouble(w -> w.startMs() + 100).max().orElseThrow();
            assertThat(origin + (long) lastLoudMs).isLessThanOrEqualTo(request.timestamp() + 250);
            assertThat(call.control().data().streams("lk.transcription")).as("the message captioned in the room")
                    .anySatisfy(c -> assertThat(c.content()).contains(message));
            assertThat(modelAskedAbout(llm, number)).as("the model never talked to the machine").isFalse();

            // The call controller hangs up: it removes the callee. The session ends as the hang-up asked.
            call.control().leaveParticipant(call.caller().identity(), "PARTICIPANT_REMOVED");
            SessionEnded ended = (SessionEnded) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof SessionEnded, WAIT).getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.VOICEMAIL);
            assertThat(ended.getEndedBy().getId()).isEqualTo("machine-detection");
            call.job().ended().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void onAMachineWithHangupTheAgentSaysNothingAndTheCallEndsAsAnsweringMachine() throws Exception {
        var llm = llm();
        String number = "+15550114";
        try (SfuCall call = startCall("machine-hangup", dialledCallee(number, "dial-amd-1"), dialWithDetection("dial-amd-1", number, "HANGUP", null));
             var control = TopicProbe.fromNow(Topic.CALL_CONTROL, new dev.switchboard.schemas.serde.CallControlRequestDeserializer())) {
            var started = (SessionStarted) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof SessionStarted, WAIT).getPayload();
            assertThat(started.getDialCommandId()).isEqualTo("dial-amd-1");

            FakeSpeechResource.nextHeard(GREETING_HEARD);
            call.callerSays(GREETING_SPOKEN);

            var classified = (AnswerClassified) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof AnswerClassified, WAIT).getPayload();
            assertThat(classified.getAnsweredBy()).isEqualTo(AnsweredBy.MACHINE);
            var hangup = (dev.switchboard.events.HangupRequested) control.await(r -> call.room().equals(r.getRoom())
                    && r.getPayload() instanceof dev.switchboard.events.HangupRequested, WAIT).getPayload();
            assertThat(hangup.getReason()).isEqualTo(EndReason.ANSWERING_MACHINE);

            // No call controller runs here: the session ends once its wait for the hang-up's confirmation runs out,
            // with the hang-up's reason.
            SessionEnded ended = (SessionEnded) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof SessionEnded, WAIT).getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.ANSWERING_MACHINE);
            assertThat(ended.getDetail()).contains("not confirmed");
            call.job().ended().get(30, TimeUnit.SECONDS);
            // Every line was published before SessionEnded: the agent said nothing, and the room heard nothing of it.
            assertThat(call.transcripts().drain(Duration.ofMillis(500))).filteredOn(s -> call.room().equals(s.getRoom()))
                    .extracting(TranscriptSegment::getRole).doesNotContain(SpeakerRole.AGENT).contains(SpeakerRole.USER, SpeakerRole.SYSTEM);
            assertThat(call.agentAudioMs()).as("ms of agent audio the room heard").isZero();
            assertThat(modelAskedAbout(llm, number)).as("the model never talked to the machine").isFalse();
        }
    }

    @Test
    void keypadTonesGoBothWaysBetweenTheSipCallerAndTheAgent() throws Exception {
        var llm = llm();
        llm.replyWithTool("", "send_dtmf", Map.of("digits", "9#")).replyText("Done.");
        try (SfuCall call = startCall("dtmf")) {
            // The caller presses 1 2 #: one entry, recorded, announced and answered by the model, which presses 9 # back.
            for (String key : List.of("1", "2", "#")) {
                call.control().sendDtmf(call.caller().identity(), SipDtmf.code(key.charAt(0)), key);
            }
            var received = (DtmfReceived) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof DtmfReceived, WAIT).getPayload();
            assertThat(received.getDigits()).isEqualTo("12#");
            assertThat(received.getParticipantIdentity()).isEqualTo(call.caller().identity());
            TranscriptSegment pressed = call.transcripts().await(s -> call.room().equals(s.getRoom()) && s.getRole() == SpeakerRole.SYSTEM, WAIT);
            assertThat(pressed.getText()).isEqualTo("caller pressed 1 2 #");

            var sent = (DtmfSent) call.events().await(e -> call.room().equals(e.getRoom())
                    && e.getPayload() instanceof DtmfSent, WAIT).getPayload();
            assertThat(sent.getDigits()).isEqualTo("9#");
            long deadline = System.currentTimeMillis() + 5_000;
            while (call.control().receivedDtmf().size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(call.control().receivedDtmf()).extracting(FakeSfuControl.Dtmf::digit, FakeSfuControl.Dtmf::code,
                    FakeSfuControl.Dtmf::senderIdentity).containsExactly(
                    tuple("9", 9, "agent-" + call.room()),
                    tuple("#", 11, "agent-" + call.room()));
            assertThat(llm.lastMessages()).anySatisfy(m -> assertThat(m.path("content").asText()).contains("keypad").contains("1 2 #"));
        }
    }

    @Test
    void aSipCallerIsHeardAnsweredCaptionedAndHungUp() throws Exception {
        SfuCall.requireEngine(runner.unavailable());
        var llm = new FakeLlmControl(ConfigProvider.getConfig().getValue("switchboard.llm.base-url", String.class));
        llm.reset();
        llm.replyText("Your order shipped today.");
        String room = "lk-" + System.nanoTime();
        Path speech = Files.createTempFile("caller-speech", ".pcm");
        speech.toFile().deleteOnExit(); // the fake SFU reads it while the call runs
        MonoAudio question = SpeechAudio.speak(FakeSpeechResource.CALLER_SAYS);
        Files.write(speech, question.toLittleEndianBytes());

        try (FakeSfuProcess sfu = SfuTestSupport.startSfu("worker-call");
             var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
             var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer())) {
            FakeSfuControl control = sfu.control();
            var caller = control.joinParticipant(FakeSfuControl.ParticipantSpec.sipCaller("+15550100")
                    .withAudio(FakeSfuControl.AudioSpec.silence()), room);
            // Whoever dispatched the agent says whose call it is.
            var job = LivekitAgent.Job.newBuilder().setId("AJ_" + room).setType(LivekitAgent.JobType.JT_ROOM)
                    .setMetadata("{\"tenant\": \"acme\"}")
                    .setRoom(LivekitModels.Room.newBuilder().setName(room)).build();

            JobRunner.RunningJob running = runner.start(job, sfu.url(), sfu.token(AccessTokens.Grant.agent("agent-" + room, room)));
            running.started().get(30, TimeUnit.SECONDS);

            SessionEvent startedEvent = events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionStarted, WAIT);
            SessionStarted started = (SessionStarted) startedEvent.getPayload();
            assertThat(started.getTransport()).isEqualTo(Transport.LIVEKIT);
            assertThat(started.getDirection()).isEqualTo(CallDirection.INBOUND);
            assertThat(started.getCallerNumber()).isEqualTo("+15550100");
            assertThat(started.getTenant()).as("the tenant from the job's metadata").isEqualTo("acme");
            assertThat(started.getDialCommandId()).as("nobody dialled it").isNull();

            // The caller asks; the agent answers out loud.
            control.play(caller.identity(), FakeSfuControl.AudioSpec.file(speech.toString(), 16_000, false));
            TranscriptSegment heard = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.USER && s.getIsFinal(), WAIT);
            assertThat(heard.getText()).isEqualTo(FakeSpeechResource.CALLER_SAYS);
            assertThat(heard.getParticipantIdentity()).isEqualTo(caller.identity());
            assertThat(heard.getTenant()).isEqualTo("acme");
            TranscriptSegment answer = transcripts.await(s -> room.equals(s.getRoom()) && s.getRole() == SpeakerRole.AGENT, WAIT);
            assertThat(answer.getText()).isEqualTo("Your order shipped today.");
            // The SFU heard the agent's synthesized voice (the fake TTS speaks a tone, 60 ms per character).
            List<FakeSfuControl.Window> loud = control.receivedAudio(100).tracks().stream()
                    .flatMap(t -> t.windows().stream()).filter(w -> w.rms() > 0.05).toList();
            assertThat(loud.size() * 100L).as("ms of agent audio the SFU heard").isGreaterThan(800);
            // Live captions went to the room, the agent's marked final.
            var captions = control.data().streams("lk.transcription");
            assertThat(captions).anySatisfy(c -> {
                assertThat(c.content()).contains("Your order shipped today.");
                assertThat(c.trailerAttributes()).containsEntry("lk.transcription_final", "true");
            });

            // The caller hangs up: the session ends with the reason, the agent leaves the room.
            control.leaveParticipant(caller.identity(), "CLIENT_INITIATED");
            SessionEnded ended = (SessionEnded) events.await(e -> room.equals(e.getRoom()) && e.getPayload() instanceof SessionEnded, WAIT).getPayload();
            assertThat(ended.getReason()).isEqualTo(EndReason.CALLER_HANGUP);
            running.ended().get(30, TimeUnit.SECONDS);
            assertThat(leftTheRoom(control, "agent-" + room).path("leaveReason").asText()).isEqualTo("CLIENT_INITIATED");
        }
    }
}
