package dev.switchboard.livekit.ffi.sfu;

import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.testing.sfu.AccessTokens;

import static dev.switchboard.livekit.ffi.sfu.SfuTestSupport.awaitEvent;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.testing.sfu.FakeSfuControl.AudioSpec;
import dev.switchboard.testing.sfu.FakeSfuControl.ParticipantSpec;
import dev.switchboard.livekit.ffi.EngineAudioFrame;
import dev.switchboard.livekit.ffi.AudioSource;
import dev.switchboard.livekit.ffi.AudioStream;
import dev.switchboard.livekit.ffi.FfiException;
import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.livekit.ffi.LocalAudioTrack;
import dev.switchboard.livekit.ffi.Participant;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.RoomEvent;
import dev.switchboard.livekit.ffi.SipDtmf;
import dev.switchboard.livekit.ffi.TextStreamWriter;
import dev.switchboard.livekit.ffi.TrackPublication;
import dev.switchboard.livekit.ffi.Transcriptions;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason;
import dev.switchboard.livekit.ffi.proto.ParticipantProto.ParticipantKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * LiveKit's own client engine (livekit-ffi, through the FFM binding) against the fake SFU in a child JVM:
 * join, remote SIP caller's audio in, the agent's audio out, participant events, captions, leave.
 * Tolerances are wide enough for a loaded 2-core machine; the measured figures are printed ({@code [measure]}).
 */
class LiveKitEngineAgainstFakeSfuTest {

    private static final double TONE_AMPLITUDE = 0.5;
    private static final double TONE_RMS = TONE_AMPLITUDE / Math.sqrt(2); // 0.354 of full scale
    private static final Duration T = Duration.ofSeconds(10);

    private static FakeSfuProcess sfu;
    private static LiveKitEngine engine;
    private static FakeSfuControl control;
    private static int roomCounter;

    private final List<RoomEvent> seen = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        sfu = SfuTestSupport.startSfu(LiveKitEngineAgainstFakeSfuTest.class.getSimpleName());
        control = sfu.control();
        engine = SfuTestSupport.startEngine();
    }

    @AfterAll
    static void stop() {
        if (engine != null) {
            engine.close();
        }
        if (sfu != null) {
            JsonNode process = control.state().path("process");
            System.out.printf("[measure] fake SFU process: cpu %.0f ms over %.1f s uptime (OS: %s), rss %d MB, %d OS threads%n",
                    process.path("cpuMs").asDouble(), process.path("uptimeMs").asDouble() / 1000,
                    sfu.cpuTime().map(Duration::toMillis).map(ms -> ms + " ms").orElse("?"),
                    process.path("rssKb").asLong() / 1024, process.path("osThreads").asInt());
            sfu.close();
        }
    }

    @AfterEach
    void noLeaksAndAFreshRoom() {
        SfuTestSupport.assertNoLeaks(engine);
        control.reset();
    }

    private static String newRoomName() {
        return "call-" + (++roomCounter);
    }

    private Room join(String identity, String roomName) {
        long t0 = System.nanoTime();
        Room room = Room.connect(engine, sfu.url(), sfu.token(AccessTokens.Grant.agent(identity, roomName)),
                Room.ConnectOptions.defaults(), Duration.ofSeconds(15));
        System.out.printf("[measure] join #%d (%s): %.0f ms%n", roomCounter, identity, SfuTestSupport.ms(System.nanoTime() - t0));
        return room;
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void joinsAndLeavesCleanly() throws Exception {
        String roomName = newRoomName();
        long t0 = System.nanoTime();
        Room room = join("agent-join", roomName);
        double joinMs = SfuTestSupport.ms(System.nanoTime() - t0);
        // The engine reports the room joined once signalling is done; its subscriber peer connection may still be
        // finishing ICE/DTLS a moment later (seen in CI), so the SFU's view of it is awaited, not sampled.
        JsonNode client = control.state().path("client");
        for (long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
             !client.path("subscriberState").asText().equals("CONNECTED") && System.nanoTime() < deadline; ) {
            Thread.sleep(20);
            client = control.state().path("client");
        }
        System.out.printf("[measure] join: %.0f ms (subscriber connection up %.0f ms after the WebSocket)%n", joinMs,
                client.path("subscriberConnectedAtMs").asDouble() - client.path("connectedAtMs").asDouble());

        assertThat(room.name()).isEqualTo(roomName);
        assertThat(room.sid()).startsWith("RM_");
        assertThat(room.localParticipant().identity()).isEqualTo("agent-join");
        assertThat(room.localParticipant().kind()).isEqualTo(ParticipantKind.PARTICIPANT_KIND_AGENT);
        assertThat(room.remoteParticipants()).isEmpty();
        assertThat(client.path("identity").asText()).isEqualTo("agent-join");
        assertThat(client.path("kind").asText()).isEqualTo("AGENT");
        assertThat(client.path("subscriberState").asText()).isEqualTo("CONNECTED");
        assertThat(client.path("connectParams").path("auto_subscribe").asText()).isEqualTo("1");
        assertThat(joinMs).as("join time").isLessThan(10_000);

        room.close();
        JsonNode left = awaitPastClient("agent-join");
        assertThat(left.path("leaveReceived").asBoolean()).as("the SFU got a LeaveRequest").isTrue();
        assertThat(left.path("leaveReason").asText()).isEqualTo("CLIENT_INITIATED");
        assertThat(left.path("subscriberState").asText()).isEqualTo("CLOSED");
        assertThat(control.state().path("client").isNull()).isTrue();
    }

    @Test
    void receivesTheSipCallersAudioAt16kHzInRealTime() throws Exception {
        try (Room room = join("agent-in", newRoomName())) {
            FakeSfuControl.JoinedParticipant caller = control.joinParticipant(
                    ParticipantSpec.sipCaller("+15550100").withAudio(AudioSpec.tone(440, TONE_AMPLITUDE)));

            RoomEvent.ParticipantConnected connected = awaitEvent(room, RoomEvent.ParticipantConnected.class, p -> true, T, seen);
            Participant p = connected.participant();
            assertThat(p.identity()).isEqualTo("sip_+15550100").isEqualTo(caller.identity());
            assertThat(p.kind()).isEqualTo(ParticipantKind.PARTICIPANT_KIND_SIP);
            assertThat(p.isSip()).isTrue();
            assertThat(p.attributes()).containsEntry("sip.phoneNumber", "+15550100").containsEntry("sip.callStatus", "active")
                    .containsKey("sip.callID");

            RoomEvent.TrackSubscribed subscribed = awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);
            assertThat(subscribed.track().sid()).isEqualTo(caller.trackSid());
            assertThat(subscribed.participant().identity()).isEqualTo(caller.identity());

            try (AudioStream stream = AudioStream.fromTrack(engine, subscribed.track(), 16_000, 1, AudioStream.Options.defaults())) {
                List<long[]> arrivals = new ArrayList<>(); // {nanos}
                List<EngineAudioFrame> frames = new ArrayList<>();
                long end = System.nanoTime() + Duration.ofMillis(3000).toNanos();
                while (System.nanoTime() < end) {
                    EngineAudioFrame f = stream.read(Duration.ofMillis(200));
                    if (f != null) {
                        arrivals.add(new long[] {System.nanoTime()});
                        frames.add(f);
                    }
                }
                assertThat(frames).as("frames from the caller").hasSizeGreaterThan(100);
                assertThat(frames).allSatisfy(f -> {
                    assertThat(f.sampleRate()).isEqualTo(16_000);
                    assertThat(f.channels()).isEqualTo(1);
                    assertThat(f.samplesPerChannel()).isEqualTo(160);
                });
                // steady state: drop the first 0.5 s (jitter buffer start-up)
                int skip = Math.min(50, frames.size() / 4);
                List<EngineAudioFrame> steady = frames.subList(skip, frames.size());
                double span = (arrivals.getLast()[0] - arrivals.get(skip)[0]) / 1e9;
                double rate = (steady.size() - 1) / span;
                double[] levels = steady.stream().mapToDouble(EngineAudioFrame::rms).sorted().toArray();
                double median = levels[levels.length / 2];
                long quiet = steady.stream().filter(f -> f.rms() < 0.2).count();
                System.out.printf("[measure] caller audio: %d frames in 3 s, steady %.1f frames/s (%.2f x real time),"
                                + " median level %.3f (%.1f dBFS; sent %.3f), %d quiet frames, dropped %d%n",
                        frames.size(), rate, rate / 100, median, 20 * Math.log10(median), TONE_RMS, quiet, stream.droppedFrames());
                assertThat(rate).as("frames per second (10 ms frames)").isBetween(80.0, 120.0);
                assertThat(median).as("tone level").isCloseTo(TONE_RMS, within(0.06));
                assertThat(quiet).as("frames without the tone in steady state").isLessThan(steady.size() / 10);
            }

            control.setAttributes(caller.identity(), Map.of("sip.callStatus", "hangup"));
            RoomEvent.ParticipantAttributesChanged changed = awaitEvent(room, RoomEvent.ParticipantAttributesChanged.class,
                    e -> true, T, seen);
            assertThat(changed.changed()).containsEntry("sip.callStatus", "hangup");

            control.leaveParticipant(caller.identity(), "CLIENT_INITIATED");
            RoomEvent.ParticipantDisconnected gone = awaitEvent(room, RoomEvent.ParticipantDisconnected.class, e -> true, T, seen);
            assertThat(gone.participant().identity()).isEqualTo(caller.identity());
            assertThat(gone.reason()).isEqualTo(DisconnectReason.CLIENT_INITIATED);
            assertThat(room.remoteParticipants()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = DisconnectReason.class, names = {"USER_REJECTED", "USER_UNAVAILABLE", "SIP_TRUNK_FAILURE", "PARTICIPANT_REMOVED"})
    void seesWhyTheCallerLeft(DisconnectReason reason) throws Exception {
        try (Room room = join("agent-reason", newRoomName())) {
            FakeSfuControl.JoinedParticipant caller = control.joinParticipant(ParticipantSpec.sipCaller("+15550123"));
            awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);
            control.leaveParticipant(caller.identity(), reason.name());
            RoomEvent.ParticipantDisconnected gone = awaitEvent(room, RoomEvent.ParticipantDisconnected.class, e -> true, T, seen);
            assertThat(gone.participant().identity()).isEqualTo("sip_+15550123");
            assertThat(gone.reason()).isEqualTo(reason);
            assertThat(gone.participant().disconnectReason()).isEqualTo(reason);
        }
    }

    @Test
    void aCallerAlreadyInTheRoomIsInTheJoinAndItsAudioFlows() throws Exception {
        String roomName = newRoomName();
        FakeSfuControl.JoinedParticipant caller = control.joinParticipant(ParticipantSpec.sipCaller("+15550177"), roomName);
        try (Room room = join("agent-late", roomName)) {
            assertThat(room.remoteParticipants()).containsKey(caller.identity());
            Participant p = room.remoteParticipants().get(caller.identity());
            assertThat(p.isSip()).isTrue();
            assertThat(p.publications()).containsKey(caller.trackSid());
            RoomEvent.TrackSubscribed subscribed = awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);
            try (AudioStream stream = AudioStream.fromTrack(engine, subscribed.track(), 16_000, 1, AudioStream.Options.defaults())) {
                double best = 0;
                long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                while (System.nanoTime() < end) {
                    EngineAudioFrame f = stream.read(Duration.ofMillis(200));
                    if (f != null) {
                        best = Math.max(best, f.rms());
                    }
                }
                assertThat(best).as("the caller's tone").isGreaterThan(0.25);
            }
        }
    }

    @Test
    void playsAPcmFileTheTestChose(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // 1 s of 1 kHz at 0.25 of full scale, 16 kHz mono WAV, played once (then silence)
        java.nio.file.Path wav = dir.resolve("caller.wav");
        int rate = 16_000;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + 2 * rate).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * rate).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
                .putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * rate);
        for (int i = 0; i < rate; i++) {
            b.putShort((short) Math.round(0.25 * 32767 * Math.sin(2 * Math.PI * 1000 * i / rate)));
        }
        java.nio.file.Files.write(wav, b.array());

        try (Room room = join("agent-file", newRoomName())) {
            FakeSfuControl.JoinedParticipant caller = control.joinParticipant(
                    ParticipantSpec.sipCaller("+15550142").withAudio(AudioSpec.silence()));
            RoomEvent.TrackSubscribed subscribed = awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);
            try (AudioStream stream = AudioStream.fromTrack(engine, subscribed.track(), 16_000, 1, AudioStream.Options.defaults())) {
                long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
                while (System.nanoTime() < end) {
                    stream.read(Duration.ofMillis(50)); // the stream is flowing (silence)
                }
                long playAt = System.nanoTime();
                control.play(caller.identity(), AudioSpec.file(wav.toString(), rate, false));
                List<Double> levels = new ArrayList<>();
                long firstLoudAt = -1;
                end = System.nanoTime() + Duration.ofMillis(2500).toNanos();
                while (System.nanoTime() < end) {
                    EngineAudioFrame f = stream.read(Duration.ofMillis(200));
                    if (f != null) {
                        levels.add(f.rms());
                        if (firstLoudAt < 0 && f.rms() > 0.1) {
                            firstLoudAt = System.nanoTime();
                        }
                    }
                }
                List<Double> loud = levels.stream().filter(l -> l > 0.1).toList();
                double median = loud.isEmpty() ? 0 : loud.stream().sorted().toList().get(loud.size() / 2);
                int lastLoud = loud.isEmpty() ? levels.size() : levels.lastIndexOf(loud.getLast());
                long silentAfter = levels.subList(Math.min(levels.size(), lastLoud + 1), levels.size()).stream()
                        .filter(l -> l < 0.01).count();
                System.out.printf("[measure] WAV file: first sound %.0f ms after the play request, %d loud frames (1 s sent),"
                                + " median level %.3f (sent %.3f), %d silent frames after%n",
                        firstLoudAt < 0 ? -1 : SfuTestSupport.ms(firstLoudAt - playAt), loud.size(), median, 0.25 / Math.sqrt(2),
                        silentAfter);
                assertThat(loud.size()).as("10 ms frames of the file's tone").isBetween(92, 108);
                assertThat(median).isCloseTo(0.25 / Math.sqrt(2), within(0.04));
                assertThat(silentAfter).as("silence once the file has played").isGreaterThan(30);
            }
        }
    }

    @Test
    void publishesAudioThatTheSfuHears() throws Exception {
        try (Room room = join("agent-out", newRoomName());
                AudioSource source = AudioSource.create(engine, 48_000, 1, 200);
                LocalAudioTrack track = LocalAudioTrack.create(engine, "agent-voice", source)) {
            long t0 = System.nanoTime();
            TrackPublication pub = room.publishTrack(track, Room.PublishOptions.microphone(), T);
            double publishMs = SfuTestSupport.ms(System.nanoTime() - t0);
            assertThat(pub.sid()).startsWith("TR_");

            short[] silence = new short[480];
            short[] tone = new short[480];
            double phase = 0;
            for (int i = 0; i < 40; i++) { // 400 ms of silence while the publisher connection comes up
                source.captureFrame(silence, 480);
            }
            long toneStart = System.nanoTime();
            for (int i = 0; i < 150; i++) { // 1.5 s of 440 Hz
                for (int s = 0; s < tone.length; s++) {
                    tone[s] = (short) Math.round(TONE_AMPLITUDE * 32767 * Math.sin(phase));
                    phase += 2 * Math.PI * 440 / 48_000;
                }
                source.captureFrame(tone, 480);
            }
            double pushSeconds = (System.nanoTime() - toneStart) / 1e9;
            for (int i = 0; i < 60; i++) {
                source.captureFrame(silence, 480);
            }
            Thread.sleep(500);

            FakeSfuControl.ReceivedTrack heard = control.receivedAudio(100).tracks().stream()
                    .filter(t -> pub.sid().equals(t.trackSid())).findFirst()
                    .orElseThrow(() -> new AssertionError("the SFU has no audio for " + pub.sid() + ": " + control.receivedAudio(100)));
            List<FakeSfuControl.Window> windows = heard.windows();
            List<FakeSfuControl.Window> loud = windows.stream().filter(w -> w.rms() > 0.2).toList();
            double[] loudLevels = loud.stream().mapToDouble(FakeSfuControl.Window::rms).sorted().toArray();
            double median = loudLevels.length == 0 ? 0 : loudLevels[loudLevels.length / 2];
            double toneSpan = loud.isEmpty() ? 0 : (loud.getLast().startMs() - loud.getFirst().startMs() + 100) / 1000;
            double afterTone = windows.stream().filter(w -> !loud.isEmpty() && w.startMs() > loud.getLast().startMs() + 200)
                    .mapToDouble(FakeSfuControl.Window::rms).max().orElse(0);
            double frameRate = heard.totalFrames() / ((heard.lastAtMs() - heard.firstAtMs()) / 1000);
            System.out.printf("[measure] agent audio: publish %.0f ms; tone pushed in %.2f s; SFU heard %d frames (%d Hz x%d, %.1f frames/s),"
                            + " %d loud 100 ms windows spanning %.2f s, median level %.3f (sent %.3f), max level after the tone %.4f%n",
                    publishMs, pushSeconds, heard.totalFrames(), heard.sampleRate(), heard.channels(), frameRate, loud.size(), toneSpan,
                    median, TONE_RMS, afterTone);
            assertThat(heard.participant()).isEqualTo("agent-out");
            assertThat(median).as("tone level at the SFU").isCloseTo(TONE_RMS, within(0.06));
            assertThat(toneSpan).as("tone duration at the SFU (1.5 s sent)").isBetween(1.1, 1.9);
            assertThat(afterTone).as("silence after the tone").isLessThan(0.05);
            assertThat(frameRate).as("decoded frames per second").isBetween(80.0, 120.0);
            assertThat(control.state().path("client").path("publisherState").asText()).isEqualTo("CONNECTED");
        }
    }

    @Test
    void aTwoWayCallOfFiveSecondsCostsTheSfuLittleCpu() throws Exception {
        try (Room room = join("agent-cpu", newRoomName());
                AudioSource source = AudioSource.create(engine, 48_000, 1, 200);
                LocalAudioTrack track = LocalAudioTrack.create(engine, "agent-voice", source)) {
            control.joinParticipant(ParticipantSpec.sipCaller("+15550100"));
            RoomEvent.TrackSubscribed subscribed = awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);
            TrackPublication pub = room.publishTrack(track, Room.PublishOptions.microphone(), T);
            try (AudioStream stream = AudioStream.fromTrack(engine, subscribed.track(), 16_000, 1, AudioStream.Options.defaults())) {
                Thread.sleep(500);
                Duration cpu0 = sfu.cpuTime().orElseThrow();
                long t0 = System.nanoTime();
                long framesIn = 0;
                short[] pcm = new short[480];
                double phase = 0;
                for (int i = 0; i < 500; i++) { // 5 s out, reading what comes in between
                    for (int s = 0; s < pcm.length; s++) {
                        pcm[s] = (short) Math.round(0.3 * 32767 * Math.sin(phase));
                        phase += 2 * Math.PI * 300 / 48_000;
                    }
                    source.captureFrame(pcm, 480);
                    for (EngineAudioFrame f; (f = stream.read(Duration.ZERO)) != null; ) {
                        framesIn++;
                    }
                }
                double wall = (System.nanoTime() - t0) / 1e9;
                double cpu = (sfu.cpuTime().orElseThrow().toNanos() - cpu0.toNanos()) / 1e9;
                long heard = control.receivedAudio(1000).tracks().stream().filter(t -> pub.sid().equals(t.trackSid()))
                        .mapToLong(FakeSfuControl.ReceivedTrack::totalFrames).sum();
                System.out.printf("[measure] two-way call: %.2f s wall, SFU process used %.2f s CPU (%.0f%% of one core);"
                        + " agent read %d caller frames, SFU decoded %d agent frames%n", wall, cpu, 100 * cpu / wall, framesIn, heard);
                assertThat(framesIn).as("caller frames during 5 s").isGreaterThan(400);
                assertThat(cpu / wall).as("SFU CPU share of one core").isLessThan(0.8);
            }
        }
    }

    @Test
    void captionsAndDataReachTheSfuAndTheCallersDataReachesTheAgent() throws Exception {
        try (Room room = join("agent-captions", newRoomName())) {
            FakeSfuControl.JoinedParticipant caller = control.joinParticipant(ParticipantSpec.sipCaller("+15550100"));
            RoomEvent.TrackSubscribed subscribed = awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen);

            TextStreamWriter w = Transcriptions.open(room, "SG_1", subscribed.track().sid(), null, T);
            w.write("Hello ", T);
            w.write("world", T);
            Transcriptions.finish(w, true, T);

            control.sendData(caller.identity(), "chat", "hi agent".getBytes(StandardCharsets.UTF_8));
            RoomEvent.DataReceived data = awaitEvent(room, RoomEvent.DataReceived.class, e -> true, T, seen);
            assertThat(data.participantIdentity()).isEqualTo(caller.identity());
            assertThat(data.topic()).isEqualTo("chat");
            assertThat(new String(data.data(), StandardCharsets.UTF_8)).isEqualTo("hi agent");

            control.sendDtmf(caller.identity(), "5");
            RoomEvent.SipDtmfReceived dtmf = awaitEvent(room, RoomEvent.SipDtmfReceived.class, e -> true, T, seen);
            assertThat(dtmf.digit()).isEqualTo("5");
            assertThat(dtmf.code()).isEqualTo(5);

            FakeSfuControl.DataStream caption = awaitCaption("SG_1");
            assertThat(caption.senderIdentity()).isEqualTo("agent-captions");
            assertThat(caption.content()).isEqualTo("Hello world");
            assertThat(caption.attributes()).containsEntry(Transcriptions.SEGMENT_ID, "SG_1")
                    .containsEntry(Transcriptions.TRACK_ID, subscribed.track().sid());
            assertThat(caption.trailerAttributes()).containsEntry(Transcriptions.FINAL, "true");
        }
    }

    @Test
    void theCallersKeyPressesReachTheAgentInOrder() throws Exception {
        try (Room room = join("agent-dtmf-in", newRoomName())) {
            FakeSfuControl.JoinedParticipant caller = control.joinParticipant(
                    ParticipantSpec.sipCaller("+15550188").withAudio(AudioSpec.silence()));
            awaitEvent(room, RoomEvent.TrackSubscribed.class, e -> true, T, seen); // the subscriber connection is up

            control.sendDtmf(caller.identity(), 1, "1");
            control.sendDtmf(caller.identity(), 11, "#");
            List<RoomEvent.SipDtmfReceived> received = new ArrayList<>();
            received.add(awaitEvent(room, RoomEvent.SipDtmfReceived.class, e -> true, T, seen));
            received.add(awaitEvent(room, RoomEvent.SipDtmfReceived.class, e -> true, T, seen));
            assertThat(received).containsExactly(
                    new RoomEvent.SipDtmfReceived(caller.identity(), 1, "1"),
                    new RoomEvent.SipDtmfReceived(caller.identity(), 11, "#"));
            RoomEvent more = room.nextEvent(Duration.ofMillis(200));
            assertThat(more instanceof RoomEvent.SipDtmfReceived).as("a third DTMF event: %s", more).isFalse();
        }
    }

    @Test
    void theAgentsKeyPressesReachTheSfuInOrder() throws Exception {
        try (Room room = join("agent-dtmf-out", newRoomName())) {
            String publisherBefore = control.state().path("client").path("publisherState").asText();
            long t0 = System.nanoTime();
            room.publishSipDtmf(SipDtmf.code('5'), "5", T);
            double firstMs = SfuTestSupport.ms(System.nanoTime() - t0);
            long t1 = System.nanoTime();
            room.publishSipDtmf('*', T);
            double secondMs = SfuTestSupport.ms(System.nanoTime() - t1);
            room.publishSipDtmf(SipDtmf.code('#'), "#", List.of("sip_+15550199"), T);
            assertThatThrownBy(() -> room.publishSipDtmf(1, "#", T)).isInstanceOf(IllegalArgumentException.class);

            List<FakeSfuControl.Dtmf> got = control.receivedDtmf();
            for (Instant deadline = Instant.now().plusSeconds(5); got.size() < 3 && Instant.now().isBefore(deadline); ) {
                Thread.sleep(20);
                got = control.receivedDtmf();
            }
            System.out.printf("[measure] DTMF from the agent: first %.0f ms (publisher connection before: %s), second %.0f ms;"
                    + " at the SFU: %s%n", firstMs, publisherBefore.isEmpty() ? "none" : publisherBefore, secondMs, got);
            assertThat(got).extracting(FakeSfuControl.Dtmf::senderIdentity, FakeSfuControl.Dtmf::code, FakeSfuControl.Dtmf::digit)
                    .containsExactly(tuple("agent-dtmf-out", 5, "5"), tuple("agent-dtmf-out", 10, "*"),
                            tuple("agent-dtmf-out", 11, "#"));
            assertThat(got).allSatisfy(d -> {
                assertThat(d.channel()).isEqualTo("_reliable");
                assertThat(d.packetIdentity()).as("the identity the engine put in the packet").isEqualTo("agent-dtmf-out");
            });
            assertThat(got.get(0).destinationIdentities()).isEmpty();
            assertThat(got.get(1).destinationIdentities()).isEmpty();
            assertThat(got.get(2).destinationIdentities()).containsExactly("sip_+15550199");
            assertThat(got.get(0).atMs()).isLessThanOrEqualTo(got.get(1).atMs());
            assertThat(control.data().otherPackets()).doesNotContainKey("SIP_DTMF");
            assertThat(control.state().path("client").path("publisherState").asText()).isEqualTo("CONNECTED");
        }
    }

    @Test
    void closingTheRoomDisconnectsTheAgentWithRoomDeleted() throws Exception {
        Room room = join("agent-closed", newRoomName());
        try {
            control.closeRoom("ROOM_DELETED");
            RoomEvent.Disconnected d = awaitEvent(room, RoomEvent.Disconnected.class, e -> true, T, seen);
            assertThat(d.reason()).isEqualTo(DisconnectReason.ROOM_DELETED);
            assertThat(room.disconnectReason()).isEqualTo(DisconnectReason.ROOM_DELETED);
        } finally {
            room.close();
        }
        assertThat(awaitPastClient("agent-closed").path("endedBy").asText()).isEqualTo("server: ROOM_DELETED");
    }

    @Test
    void aWrongTokenIsRefusedWithACleanConnectError() {
        String roomName = newRoomName();
        String wrongSecret = AccessTokens.mint(sfu.apiKey(), "not-the-secret", AccessTokens.Grant.agent("intruder", roomName));
        String noJoin = sfu.token(AccessTokens.Grant.agent("intruder", roomName).withRoomJoin(false));
        String expired = sfu.token(AccessTokens.Grant.agent("intruder", roomName).withTtl(Duration.ofSeconds(-60)));
        for (String token : List.of(wrongSecret, noJoin, expired)) {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> Room.connect(engine, sfu.url(), token, Room.ConnectOptions.defaults(), Duration.ofSeconds(15)))
                    .isInstanceOf(FfiException.OperationFailed.class)
                    .hasMessageContaining("401");
            double ms = SfuTestSupport.ms(System.nanoTime() - t0);
            System.out.printf("[measure] refused connect: %.0f ms%n", ms);
            assertThat(ms).as("a refused connect fails fast").isLessThan(5000);
        }
        JsonNode refused = control.state().path("refusedConnections");
        assertThat(refused).hasSize(3);
        assertThat(refused.get(0).path("reason").asText()).contains("signature");
        assertThat(refused.get(1).path("reason").asText()).contains("roomJoin");
        assertThat(refused.get(2).path("reason").asText()).contains("expired");
        assertThat(control.state().path("client").isNull()).isTrue();
    }

    // ------------------------------------------------------------------------------------------------

    private static JsonNode awaitPastClient(String identity) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            for (JsonNode c : control.state().path("pastClients")) {
                if (identity.equals(c.path("identity").asText())) {
                    return c;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the SFU did not see " + identity + " leave: " + control.state().toPrettyString());
    }

    private static FakeSfuControl.DataStream awaitCaption(String segmentId) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(5);
        while (Instant.now().isBefore(deadline)) {
            for (FakeSfuControl.DataStream s : control.data().streams(Transcriptions.TOPIC)) {
                if (segmentId.equals(s.attributes().get(Transcriptions.SEGMENT_ID)) && s.closed()) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no closed caption stream " + segmentId + " at the SFU: " + control.data());
    }

    @SuppressWarnings("unused")
    private static String describe(double[] values) {
        return Arrays.toString(values);
    }
}
