package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.events.SessionEvent;
import dev.switchboard.events.TranscriptSegment;
import dev.switchboard.livekit.ffi.NativeEngineLibrary;
import dev.switchboard.livekit.ffi.sfu.SfuTestSupport;
import dev.switchboard.schemas.serde.SessionEventDeserializer;
import dev.switchboard.schemas.serde.TranscriptSegmentDeserializer;
import dev.switchboard.schemas.topics.Topic;
import dev.switchboard.testing.TopicProbe;
import dev.switchboard.testing.sfu.AccessTokens;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.worker.livekit.JobRunner;
import dev.switchboard.worker.livekit.LiveKitCallRunner;
import dev.switchboard.worker.voice.SpeechAudio;
import livekit.LivekitAgent;
import livekit.LivekitModels;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A call under way through the worker's LiveKit path, for the tests that run calls over the fake SFU: the SFU with its
 * SIP caller (silent until told to play), the job, and the session events and transcripts watched from before it started.
 */
record SfuCall(FakeSfuProcess sfu, FakeSfuControl control, FakeSfuControl.JoinedParticipant caller, String room,
               JobRunner.RunningJob job, TopicProbe<SessionEvent> events, TopicProbe<TranscriptSegment> transcripts)
        implements AutoCloseable {

    /** The worker's LiveKit path must be usable (skipped outside CI on a machine without an engine). */
    static void requireEngine(Optional<String> unavailable) {
        if (unavailable.isEmpty()) {
            return;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI")) || NativeEngineLibrary.isConfigured()) {
            throw new AssertionError("the worker cannot take LiveKit calls: " + unavailable.get());
        }
        Assumptions.abort("LiveKit engine unavailable: " + unavailable.get());
    }

    /** Starts a call with this caller, whose job carries this dispatch metadata (null: none, as LiveKit's automatic dispatch gives it). */
    static SfuCall start(LiveKitCallRunner runner, String name, FakeSfuControl.ParticipantSpec callerSpec, String jobMetadata) throws Exception {
        requireEngine(runner.unavailable());
        String room = "lk-" + name + "-" + System.nanoTime();
        FakeSfuProcess sfu = SfuTestSupport.startSfu(name);
        var events = TopicProbe.fromNow(Topic.SESSION_EVENTS, new SessionEventDeserializer());
        var transcripts = TopicProbe.fromNow(Topic.TRANSCRIPTS, new TranscriptSegmentDeserializer());
        FakeSfuControl control = sfu.control();
        var caller = control.joinParticipant(callerSpec.withAudio(FakeSfuControl.AudioSpec.silence()), room);
        var job = LivekitAgent.Job.newBuilder().setId("AJ_" + room).setType(LivekitAgent.JobType.JT_ROOM)
                .setRoom(LivekitModels.Room.newBuilder().setName(room));
        if (jobMetadata != null) {
            job.setMetadata(jobMetadata);
        }
        JobRunner.RunningJob running = runner.start(job.build(), sfu.url(), sfu.token(AccessTokens.Grant.agent("agent-" + room, room)));
        running.started().get(30, TimeUnit.SECONDS);
        return new SfuCall(sfu, control, caller, room, running, events, transcripts);
    }

    @Override
    public void close() {
        events.close();
        transcripts.close();
        sfu.close();
    }

    /** Plays real speech as the caller. */
    void callerSays(String text) throws IOException {
        callerPlays(speech(text));
    }

    /** Real speech in a file the fake SFU can play (16 kHz raw PCM): made ahead when the caller must answer at once. */
    static Path speech(String text) throws IOException {
        Path speech = Files.createTempFile("caller-speech", ".pcm");
        speech.toFile().deleteOnExit(); // the fake SFU reads it while the call runs
        Files.write(speech, SpeechAudio.speak(text).toLittleEndianBytes());
        return speech;
    }

    /** Plays speech made with {@link #speech} as the caller. */
    void callerPlays(Path speech) {
        control.play(caller.identity(), FakeSfuControl.AudioSpec.file(speech.toString(), 16_000, false));
    }

    /** Milliseconds of loud agent audio the SFU has received so far. */
    long agentAudioMs() {
        return control.receivedAudio(100).tracks().stream().flatMap(t -> t.windows().stream()).filter(w -> w.rms() > 0.05).count() * 100;
    }
}
