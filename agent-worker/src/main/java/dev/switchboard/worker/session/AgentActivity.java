package dev.switchboard.worker.session;

import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.tools.ToolContext;
import dev.switchboard.worker.tools.Toolbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * What the agent says, one thing at a time (LiveKit Agents calls this the agent's activity): the turns of the LLM
 * loop (the answer spoken while it streams, the tools it calls, another round while it keeps calling them), Say
 * and goodbyes. The work runs in order on one {@link SerialTaskRunner}, so the agent never talks over itself.
 * Barge-in and Interrupt cut what is being said, and the transcript and the chat context keep only the words the
 * caller heard.
 */
final class AgentActivity {

    private final CallTransport transport;
    private final LlmClient llm;
    private final Toolbox tools;
    private final ToolContext toolContext;
    private final ChatContext chat;
    private final TranscriptRecorder transcript;
    private final UsageMeter usage;
    private final SessionClock time;
    private final int maxToolRounds;
    private final Supplier<AgentSession.State> state;
    private final SerialTaskRunner speaking;
    private final ScheduledExecutorService timers;
    /** A turn waits for the model's first words: nothing of its answer has been said yet. */
    private volatile boolean awaitingModel;
    /** What the running turn said so far, tools' words too (an end_call goodbye); null outside a turn. */
    private List<String> turnSpoken;

    /**
     * @param toolContext what the model's tools may do to the call
     * @param state       the session's state: a turn takes no further rounds once the call is ending
     */
    AgentActivity(String room, CallTransport transport, LlmClient llm, Toolbox tools, ToolContext toolContext, ChatContext chat,
                  TranscriptRecorder transcript, UsageMeter usage, SessionClock time, int maxToolRounds,
                  Supplier<AgentSession.State> state, ScheduledExecutorService timers) {
        this.timers = timers;
        this.transport = transport;
        this.llm = llm;
        this.tools = tools;
        this.toolContext = toolContext;
        this.chat = chat;
        this.transcript = transcript;
        this.usage = usage;
        this.time = time;
        this.maxToolRounds = maxToolRounds;
        this.state = state;
        this.speaking = new SerialTaskRunner("session-" + room);
    }

    /** Queues a turn: the model answers the conversation as it stands when the turn starts. Interruptible. */
    CompletableFuture<TurnResult> reply(String task) {
        return speaking.submit(task, true, this::runTurn);
    }

    /** Queues work that speaks (a Say, a goodbye) behind what is being said now. */
    <T> CompletableFuture<T> enqueue(String task, boolean interruptible, Callable<T> work) {
        return speaking.submit(task, interruptible, work);
    }

    /**
     * Queues work that must start by a deadline (a command's expiry): if it is still waiting behind what is being said
     * then, it is taken out of the queue and its result is {@code late}, at once rather than when its turn would have
     * come, so the sender learns why before its own wait runs out. Work that starts in time runs as {@link #enqueue};
     * work whose turn comes just as the deadline passes (before the timer withdraws it) does not run either.
     */
    <T> CompletableFuture<T> enqueueUntil(String task, boolean interruptible, Instant deadline, Callable<T> work, Supplier<T> late) {
        Callable<T> inTime = () -> time.now().isAfter(deadline) ? late.get() : work.call();
        CompletableFuture<T> result = speaking.submit(task, interruptible, inTime);
        long delay = Math.max(0, Duration.between(time.now(), deadline).toMillis());
        var check = timers.schedule(() -> {
            if (speaking.withdraw(result)) {
                result.complete(late.get());
            }
        }, delay, TimeUnit.MILLISECONDS);
        result.whenComplete((done, failed) -> check.cancel(false));
        return result;
    }

    /**
     * Says a text on the calling thread (work queued with {@link #enqueue}, or a tool during a turn) and returns the
     * words the caller heard; they join the chat context as the agent's when asked.
     */
    String say(String text, boolean allowInterruptions, boolean addToChatContext) throws InterruptedException {
        // Said by a tool during a turn (on the turn's own thread): part of what the turn said.
        List<String> spokenInTurn = speaking.isOnRunnerThread() ? turnSpoken : null;
        String heard = deliver(text, allowInterruptions, spokenInTurn).spokenText();
        if (addToChatContext) {
            chat.add(new ChatMessage.Assistant(heard));
        }
        return heard;
    }

    /** Whether the agent is saying something, thinking about it, or has something queued to say. */
    boolean isBusy() {
        return speaking.isBusy();
    }

    /** The caller talks over the agent: the current work stops if it may be interrupted. */
    boolean bargeIn() {
        return speaking.interruptCurrent();
    }

    /** An Interrupt command: as barge-in, and the audio stops at once. Returns whether something was interrupted. */
    boolean interrupt() {
        boolean interrupted = speaking.interruptCurrent();
        if (interrupted) {
            transport.interrupt();
        }
        return interrupted;
    }

    /**
     * The call is ending: a turn still waiting for the model is abandoned, since its answer could only come after the
     * goodbye was due (a slow or hung model would otherwise hold the hang-up for as long as it takes to time out).
     * What is being said is left to finish. Returns whether a turn was abandoned.
     */
    boolean abandonThinking() {
        return awaitingModel && speaking.interruptCurrent();
    }

    /** The session ends: the current work is interrupted and queued work fails. */
    void close() {
        speaking.close();
    }

    private TurnResult runTurn() throws InterruptedException {
        List<String> spoken = new ArrayList<>();
        turnSpoken = spoken;
        try {
            return runTurn(spoken);
        } finally {
            turnSpoken = null;
        }
    }

    private TurnResult runTurn(List<String> spoken) throws InterruptedException {
        for (int round = 0; round < maxToolRounds; round++) {
            LlmRequest request = new LlmRequest(chat.messages(), tools.specs(toolContext));
            // The answer is spoken as it streams, so the caller hears the first sentence before the model is done.
            long speechStart = time.elapsedMs();
            CallTransport.Speech speech = transport.startSpeech(true);
            StringBuilder streamed = new StringBuilder();
            LlmResponse response;
            awaitingModel = true;
            try {
                response = llm.complete(request, delta -> {
                    awaitingModel = false;
                    streamed.append(delta);
                    speech.append(delta);
                });
            } catch (InterruptedException e) {
                keepWhatWasSaid(speech, streamed.toString(), speechStart, spoken);
                throw e;
            } catch (RuntimeException e) {
                speech.cancel();
                throw e;
            } finally {
                awaitingModel = false;
            }
            if (streamed.isEmpty() && !response.text().isEmpty()) {
                speech.append(response.text()); // a client that did not stream
            }
            usage.llm(response.promptTokens(), response.completionTokens());

            String said = "";
            if (response.text().isBlank()) {
                speech.cancel();
            } else {
                speech.finish();
                said = recordDelivery(response.text(), speechStart, awaitDelivery(speech, response.text(), speechStart, spoken), spoken).spokenText();
            }
            chat.add(new ChatMessage.Assistant(said, response.toolCalls()));
            if (response.toolCalls().isEmpty()) {
                break;
            }
            for (ToolCall call : response.toolCalls()) {
                String result = tools.execute(call, toolContext, !said.isBlank());
                chat.add(new ChatMessage.ToolResult(call.id(), call.name(), result));
            }
            if (state.get() != AgentSession.State.ACTIVE) {
                break; // hanging up: no further rounds
            }
        }
        return new TurnResult(spoken, state.get());
    }

    /** Speaks and records what was actually delivered as the agent's transcript line. */
    private CallTransport.Delivery deliver(String text, boolean allowInterruptions, List<String> spoken) throws InterruptedException {
        long start = time.elapsedMs();
        CallTransport.Speech speech = transport.startSpeech(allowInterruptions);
        speech.append(text);
        speech.finish();
        return recordDelivery(text, start, awaitDelivery(speech, text, start, spoken), spoken);
    }

    private CallTransport.Delivery awaitDelivery(CallTransport.Speech speech, String text, long start, List<String> spoken)
            throws InterruptedException {
        try {
            CallTransport.Delivery delivery = speech.delivered().get();
            // An Interrupt interrupts this thread and then cuts the audio, which completes the delivery: when
            // the delivery wins the race, get() returns it and leaves the interrupt pending. The speech was
            // still cut off, so it ends as an interrupted one, not as if all was said.
            if (delivery.interrupted() && Thread.interrupted()) {
                keepWhatWasSaid(speech, text, start, spoken);
                throw new InterruptedException("speech was interrupted");
            }
            return delivery;
        } catch (InterruptedException e) {
            keepWhatWasSaid(speech, text, start, spoken);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("speaking failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Speech was interrupted (barge-in, an Interrupt command, the session ending): the audio stops, and the
     * transcript and the chat context keep only the words the caller actually heard.
     */
    private void keepWhatWasSaid(CallTransport.Speech speech, String generated, long start, List<String> spoken) {
        speech.cancel();
        transport.interrupt();
        CallTransport.Delivery heard;
        try {
            heard = speech.delivered().get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            return;
        }
        if (heard.spokenText().isBlank()) {
            return;
        }
        recordDelivery(generated, start, new CallTransport.Delivery(heard.spokenText(), true, heard.durationMs()), spoken);
        chat.add(new ChatMessage.Assistant(heard.spokenText()));
    }

    private CallTransport.Delivery recordDelivery(String text, long start, CallTransport.Delivery delivery, List<String> spoken) {
        usage.spoke(delivery.spokenText(), delivery.durationMs());
        transcript.agent(start, delivery, text);
        if (spoken != null) {
            spoken.add(delivery.spokenText());
        }
        return delivery;
    }
}
