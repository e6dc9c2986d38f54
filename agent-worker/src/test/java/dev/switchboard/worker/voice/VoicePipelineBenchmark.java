package dev.switchboard.worker.voice;

import dev.switchboard.testing.llm.FakeLlmControl;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.vad.SileroVad;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The voice pipeline's own overhead, over fake providers with known delays, so it measures Switchboard and not a
 * vendor: for each turn, from the committed end of the caller's turn to the first audio frame played, minus the
 * fake LLM's and fake TTS's own delays; and the CPU one call costs. Not part of the normal build:
 *
 * <pre>mvn -pl agent-worker test -Pbenchmark -Dtest=VoicePipelineBenchmark [-Dcalls=4 -Dturns=6]</pre>
 */
@Tag("benchmark")
class VoicePipelineBenchmark {
    private static final long LLM_DELAY_MS = 150;
    private static final long TTS_DELAY_MS = 100;

    @Test
    void overheadPerTurnAndCpuPerCall() throws Exception {
        int calls = Integer.getInteger("calls", 4);
        int turns = Integer.getInteger("turns", 8);
        try (SileroVad.Model vad = dev.switchboard.worker.voice.vad.VadModels.loadOrSkip()) {
            MonoAudio question = SpeechAudio.speak("Could you tell me where my parcel is right now?");
            List<InProcessCall> running = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                InProcessCall call = new InProcessCall(vad, InProcessCall.Settings.defaults());
                call.audioServer.firstByteDelay(TTS_DELAY_MS);
                running.add(call);
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuStart = os.getProcessCpuTime();
            long wallStart = System.nanoTime();

            List<Thread> threads = new ArrayList<>();
            for (InProcessCall call : running) {
                threads.add(Thread.ofVirtual().start(() -> converse(call, question, turns)));
            }
            for (Thread thread : threads) {
                thread.join();
            }
            double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
            double wallSeconds = (System.nanoTime() - wallStart) / 1e9;

            List<Long> overhead = new ArrayList<>();
            List<Long> endpointing = new ArrayList<>();
            for (InProcessCall call : running) {
                // Each call's first turn warms up the JIT and opens the HTTP connections: not counted.
                for (TurnLatency latency : call.latencies.subList(Math.min(1, call.latencies.size()), call.latencies.size())) {
                    if (latency.firstPlayedMs() >= 0) {
                        overhead.add(latency.firstPlayedMs() - latency.endOfTurnMs() - LLM_DELAY_MS - TTS_DELAY_MS);
                        endpointing.add(latency.endOfTurnMs());
                    }
                }
                call.close();
            }
            overhead.sort(null);
            endpointing.sort(null);
            System.out.printf("%n=== voice pipeline benchmark: %d concurrent calls x %d turns, %d turns measured (first of each call is warm-up), %d cores ===%n",
                    calls, turns, overhead.size(), Runtime.getRuntime().availableProcessors());
            System.out.printf("pipeline overhead (turn committed -> first audio played, minus LLM %d ms and TTS %d ms): p50 %d ms, p99 %d ms, max %d ms%n",
                    LLM_DELAY_MS, TTS_DELAY_MS, percentile(overhead, 50), percentile(overhead, 99), overhead.getLast());
            System.out.printf("end of speech (VAD) -> turn committed (endpointing policy, %d ms configured): p50 %d ms, p99 %d ms%n",
                    InProcessCall.Settings.defaults().minEndpointingDelay().toMillis(), percentile(endpointing, 50), percentile(endpointing, 99));
            System.out.printf("CPU: %.2f core-seconds over %.1f s wall = %.1f%% of one core per call (VAD, resampling, I/O, and the fake servers' share)%n",
                    cpuSeconds, wallSeconds, 100.0 * cpuSeconds / wallSeconds / calls);
        }
    }

    private void converse(InProcessCall call, MonoAudio question, int turns) {
        FakeLlmControl llm = new FakeLlmControl(call.llmServer.baseUrl());
        try {
            for (int turn = 0; turn < turns; turn++) {
                call.deepgram.queueTranscript("Where is my parcel?");
                llm.reply(new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                        .put("text", "It is on its way. It should arrive tomorrow morning.").put("delayMs", LLM_DELAY_MS));
                int before = call.latencies.size();
                call.say(question);
                long deadline = System.currentTimeMillis() + 30_000;
                while (call.latencies.size() == before && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(3500); // let the answer play out before the next question
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
