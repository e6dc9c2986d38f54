package dev.switchboard.worker.session;

import dev.switchboard.events.Usage;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one session has consumed so far; reported in SessionEnded. */
final class UsageMeter {
    private final AtomicInteger llmRequests = new AtomicInteger();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();
    private final AtomicLong ttsCharacters = new AtomicLong();
    private final AtomicLong ttsMillis = new AtomicLong();
    private final AtomicInteger userTurns = new AtomicInteger();
    private final AtomicInteger agentTurns = new AtomicInteger();

    void llm(long prompt, long completion) {
        llmRequests.incrementAndGet();
        promptTokens.addAndGet(prompt);
        completionTokens.addAndGet(completion);
    }

    void spoke(String text, long durationMs) {
        agentTurns.incrementAndGet();
        ttsCharacters.addAndGet(text.length());
        ttsMillis.addAndGet(durationMs);
    }

    void userTurn() {
        userTurns.incrementAndGet();
    }

    Usage snapshot(double sttAudioSeconds) {
        return Usage.newBuilder()
                .setLlmRequests(llmRequests.get())
                .setLlmPromptTokens(promptTokens.get())
                .setLlmCompletionTokens(completionTokens.get())
                .setSttAudioSeconds(sttAudioSeconds)
                .setTtsCharacters(ttsCharacters.get())
                .setTtsAudioSeconds(ttsMillis.get() / 1000.0)
                .setUserTurns(userTurns.get())
                .setAgentTurns(agentTurns.get())
                .build();
    }
}
