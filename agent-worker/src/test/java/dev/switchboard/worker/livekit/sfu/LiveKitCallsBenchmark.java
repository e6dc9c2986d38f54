package dev.switchboard.worker.livekit.sfu;

import dev.switchboard.testing.sfu.AccessTokens;
import dev.switchboard.testing.sfu.FakeSfuControl;
import dev.switchboard.testing.sfu.FakeSfuProcess;
import dev.switchboard.livekit.ffi.EngineAudioFrame;
import dev.switchboard.livekit.ffi.AudioSource;
import dev.switchboard.livekit.ffi.AudioStream;
import dev.switchboard.livekit.ffi.LiveKitEngine;
import dev.switchboard.livekit.ffi.LocalAudioTrack;
import dev.switchboard.livekit.ffi.sfu.SfuTestSupport;
import dev.switchboard.livekit.ffi.Room;
import dev.switchboard.livekit.ffi.RoomEvent;
import dev.switchboard.worker.voice.vad.SileroVad;
import dev.switchboard.worker.voice.vad.SpeechSegmenter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What concurrent LiveKit calls cost one worker process: N calls, each in its own room on its own fake SFU (a
 * separate process, not counted), each receiving the caller's audio in real time through LiveKit's engine into
 * the Silero VAD (what a listening agent always runs) and sending the agent's voice back in real time. Prints the
 * worker's CPU and resident memory per call and how many calls fit on a core. Not part of the normal build:
 *
 * <pre>mvn -pl agent-worker test -Pbenchmark -Dtest=LiveKitCallsBenchmark [-Dcalls=4 -Dseconds=30]</pre>
 */
@Tag("benchmark")
class LiveKitCallsBenchmark {

    @Test
    void cpuAndMemoryPerCall() throws Exception {
        int calls = Integer.getInteger("calls", 4);
        int seconds = Integer.getInteger("seconds", 30);
        List<FakeSfuProcess> sfus = new ArrayList<>();
        try (LiveKitEngine engine = SfuTestSupport.startEngine(); SileroVad.Model vad = dev.switchboard.worker.voice.vad.VadModels.loadOrSkip()) {
            for (int i = 0; i < calls; i++) {
                sfus.add(SfuTestSupport.startSfu("benchmark-" + i));
            }
            System.gc();
            long rssBefore = residentKb();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            AtomicLong framesIn = new AtomicLong();
            AtomicLong framesOut = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            long[] cpuWindow = new long[2];
            long measureFrom = System.nanoTime() + Duration.ofSeconds(5).toNanos(); // after every call is set up
            for (int i = 0; i < calls; i++) {
                FakeSfuProcess sfu = sfus.get(i);
                String room = "bench-" + i;
                threads.add(Thread.ofPlatform().name("call-" + i).start(() -> runCall(engine, vad, sfu, room, seconds, framesIn, framesOut)));
            }
            Thread.sleep(Math.max(0, (measureFrom - System.nanoTime()) / 1_000_000));
            cpuWindow[0] = os.getProcessCpuTime();
            long wallStart = System.nanoTime();
            long inStart = framesIn.get();
            long rssPeak = 0;
            while (System.nanoTime() - wallStart < Duration.ofSeconds(seconds - 8).toNanos()) {
                Thread.sleep(1000);
                rssPeak = Math.max(rssPeak, residentKb());
            }
            cpuWindow[1] = os.getProcessCpuTime();
            double wall = (System.nanoTime() - wallStart) / 1e9;
            long inDuring = framesIn.get() - inStart;
            for (Thread thread : threads) {
                thread.join();
            }
            double cpuPerCall = (cpuWindow[1] - cpuWindow[0]) / 1e9 / wall / calls;
            System.out.printf("%n=== LiveKit calls benchmark: %d concurrent calls, %d cores, %.0f s measured ===%n",
                    calls, Runtime.getRuntime().availableProcessors(), wall);
            System.out.printf("caller audio received: %.1f frames/s per call (100 = real time); agent audio sent: %d frames in all%n",
                    inDuring / wall / calls, framesOut.get());
            System.out.printf("worker CPU: %.1f%% of one core per call -> about %.0f calls per core%n", cpuPerCall * 100, 1 / cpuPerCall);
            System.out.printf("worker resident memory: %d MB before the calls, %d MB at peak -> %.1f MB per call (one JVM for all calls)%n",
                    rssBefore / 1024, rssPeak / 1024, (rssPeak - rssBefore) / 1024.0 / calls);
        } finally {
            sfus.forEach(FakeSfuProcess::close);
        }
    }

    /** One call: join, hear the caller through the VAD, talk back half of the time, leave. */
    private static void runCall(LiveKitEngine engine, SileroVad.Model vadModel, FakeSfuProcess sfu, String roomName, int seconds,
                                AtomicLong framesIn, AtomicLong framesOut) {
        try {
            FakeSfuControl control = sfu.control();
            control.joinParticipant(FakeSfuControl.ParticipantSpec.sipCaller("+15550100").withAudio(FakeSfuControl.AudioSpec.tone(220, 0.3)), roomName);
            try (Room room = Room.connect(engine, sfu.url(), sfu.token(AccessTokens.Grant.agent("agent-" + roomName, roomName)),
                    Room.ConnectOptions.defaults(), Duration.ofSeconds(30));
                 AudioSource source = AudioSource.create(engine, 48_000, 1, 200);
                 LocalAudioTrack track = LocalAudioTrack.create(engine, "agent-voice", source);
                 SileroVad vad = new SileroVad(vadModel)) {
                room.publishTrack(track, Room.PublishOptions.microphone(), Duration.ofSeconds(10));
                RoomEvent.TrackSubscribed subscribed = SfuTestSupport.awaitEvent(room, RoomEvent.TrackSubscribed.class, Duration.ofSeconds(20));
                var segmenter = new SpeechSegmenter(vad, new SpeechSegmenter.Settings(0.5f, 100, 400), new SpeechSegmenter.Events() {
                    @Override
                    public void speechStarted(long atMs) {
                    }

                    @Override
                    public void speechEnded(long atMs) {
                    }
                });
                Thread speaker = Thread.ofVirtual().start(() -> speak(source, seconds, framesOut));
                try (AudioStream stream = AudioStream.fromTrack(engine, subscribed.track(), 16_000, 1, AudioStream.Options.defaults())) {
                    long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
                    while (System.nanoTime() < end) {
                        EngineAudioFrame frame = stream.read(Duration.ofMillis(200));
                        if (frame != null) {
                            framesIn.incrementAndGet();
                            segmenter.accept(new dev.switchboard.worker.voice.audio.MonoAudio(frame.data(), frame.sampleRate()));
                        }
                    }
                }
                speaker.join();
                room.disconnect(dev.switchboard.livekit.ffi.proto.ParticipantProto.DisconnectReason.CLIENT_INITIATED, Duration.ofSeconds(5));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The agent talks for two seconds, listens for two: 20 ms frames of a tone at 48 kHz, paced by the engine's queue. */
    private static void speak(AudioSource source, int seconds, AtomicLong framesOut) {
        short[] frame = new short[960];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 330 * i / 48_000.0));
        }
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        int tick = 0;
        while (System.nanoTime() < end) {
            if ((tick++ / 100) % 2 == 0) {
                source.captureFrame(frame, frame.length);
                framesOut.incrementAndGet();
            } else {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static long residentKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        return -1;
    }
}
