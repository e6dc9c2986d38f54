package dev.switchboard.worker.session;

import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionCommand;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.events.SpeakerRole;
import dev.switchboard.events.TransferCall;
import dev.switchboard.events.Transport;
import dev.switchboard.events.UpdateInstructions;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmRequest;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.simulated.SimulatedTransport;
import dev.switchboard.worker.tools.EndCallTool;
import dev.switchboard.worker.tools.Toolbox;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The session runtime on its own: a scripted model, the simulated transport, a publisher that records. */
class AgentSessionTest {
    private final RecordingPublisher published = new RecordingPublisher();
    private final QueuedLlm llm = new QueuedLlm();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedTransport transport = new SimulatedTransport("caller");
    private final Commands crm = new Commands(new Issuer(IssuerKind.SYSTEM, "crm", null, null));
    private Duration hangupTimeout = Duration.ofSeconds(30);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    private AgentSession session() {
        var identity = new AgentSession.Identity("room-1", "session-1", "worker-1", "agent", Instant.now());
        return new AgentSession(identity, "Be helpful.", transport, llm, Toolbox.of(new EndCallTool()), published,
                new TestSessions.Settings(hangupTimeout), Clock.systemUTC(), timers, s -> { });
    }

    @Test
    void aTurnRecordsTheCallerAndTheAgentAndKeepsTheContext() throws Exception {
        AgentSession session = session();
        llm.reply("Hello, how can I help?");

        TurnResult turn = session.callerSaid("Hi there").get(5, TimeUnit.SECONDS);

        assertThat(turn.spoken()).containsExactly("Hello, how can I help?");
        assertThat(published.transcripts).extracting(s -> s.getRole() + ":" + s.getText())
                .containsExactly("USER:Hi there", "AGENT:Hello, how can I help?");
        assertThat(published.transcripts).extracting(s -> s.getSequence()).containsExactly(0L, 1L);
        assertThat(published.transcripts.get(1).getEndMs()).isGreaterThan(published.transcripts.get(1).getStartMs());
        assertThat(llm.requests.getFirst().messages()).containsExactly(new ChatMessage.System("Be helpful."), new ChatMessage.User("Hi there"));
        assertThat(llm.requests.getFirst().tools()).extracting(t -> t.name()).containsExactly("end_call");
    }

    @Test
    void injectedContextJoinsTheNextRequestAndTheTranscriptWithItsIssuer() throws Exception {
        AgentSession session = session();
        SessionCommand inject = crm.injectContext("room-1", ContextRole.SYSTEM, "Order 42 shipped today", false);

        var result = session.apply(inject).get(5, TimeUnit.SECONDS);
        llm.reply("Your order shipped.");
        session.callerSaid("Where is my order?").get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(result.getCommandType()).isEqualTo("InjectContext");
        assertThat(llm.requests.getLast().messages()).contains(new ChatMessage.System("Order 42 shipped today"));
        var injected = published.transcripts.getFirst();
        assertThat(injected.getRole()).isEqualTo(SpeakerRole.INJECTED);
        assertThat(injected.getInjectedBy().getId()).isEqualTo("crm");
        assertThat(injected.getCommandId()).isEqualTo(inject.getCommandId());
        assertThat(injected.getLabel()).isEqualTo("system");
    }

    @Test
    void respondMakesTheAgentSpeakWithoutWaitingForTheCaller() throws Exception {
        AgentSession session = session();
        llm.reply("Good news, it shipped!");

        session.apply(crm.injectContext("room-1", ContextRole.SYSTEM, "Order shipped", true)).get(5, TimeUnit.SECONDS);

        awaitTrue(() -> transport.outbox().size() == 1);
        assertThat(transport.outbox().getFirst().text()).isEqualTo("Good news, it shipped!");
    }

    @Test
    void aCommandIsAppliedOnceAndARedeliveryGetsTheSameAnswer() throws Exception {
        AgentSession session = session();
        SessionCommand inject = crm.injectContext("room-1", ContextRole.USER, "I am a VIP", false);

        var first = session.apply(inject).get(5, TimeUnit.SECONDS);
        var second = session.apply(inject).get(5, TimeUnit.SECONDS);

        assertThat(second).isEqualTo(first);
        assertThat(session.chatContext()).filteredOn(m -> m.equals(new ChatMessage.User("I am a VIP"))).hasSize(1);
        assertThat(published.transcripts).hasSize(1);
    }

    @Test
    void expiredAndInvalidCommandsAreNotApplied() throws Exception {
        AgentSession session = session();
        var expiredCommand = crm.session("old-1", "room-1",
                InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("stale").build(), Duration.ofMillis(1));
        Thread.sleep(5);
        var unknownRole = crm.session("room-1", InjectContext.newBuilder().setRole(ContextRole.UNKNOWN).setText("x").build());
        var emptyText = crm.session("room-1", InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("  ").build());

        assertThat(session.apply(expiredCommand).get().getStatus()).isEqualTo(CommandStatus.EXPIRED);
        var rejectedRole = session.apply(unknownRole).get();
        assertThat(rejectedRole.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(rejectedRole.getReason()).contains("role");
        assertThat(session.apply(emptyText).get().getReason()).contains("empty");
        assertThat(session.chatContext()).hasSize(1); // only the instructions
    }

    @Test
    void theModelHangsUpOnceAfterItsGoodbyeWasDelivered() throws Exception {
        AgentSession session = session();
        llm.replyWithTools("Goodbye, have a nice day!",
                new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"),
                new ToolCall("c2", "end_call", Map.of("reason", "again"), "{}"));

        TurnResult turn = session.callerSaid("That's all, thanks").get(5, TimeUnit.SECONDS);

        assertThat(turn.spoken()).containsExactly("Goodbye, have a nice day!");
        assertThat(turn.stateAfter()).isEqualTo(AgentSession.State.ENDING);
        assertThat(published.callControl).hasSize(1);
        var hangup = (HangupRequested) published.callControl.getFirst().getPayload();
        assertThat(hangup.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
        assertThat(hangup.getDetail()).isEqualTo("task done");
        assertThat(hangup.getTransport()).isEqualTo(Transport.SIMULATED);
        assertThat(hangup.getSessionId()).isEqualTo("session-1");
        assertThat(published.callControl.getFirst().getIssuer().getKind()).isEqualTo(IssuerKind.LLM);
        // The goodbye was delivered before the hang-up was requested.
        assertThat(published.order).containsSubsequence("transcript:AGENT", "call-control:HangupRequested");
        assertThat(llm.requests).hasSize(1); // no further LLM round once hanging up
        assertThatThrownBy(() -> session.callerSaid("wait!")).isInstanceOf(SessionNotActiveException.class);
        var late = session.apply(crm.injectContext("room-1", ContextRole.SYSTEM, "too late", false)).get();
        assertThat(late.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(late.getReason()).isEqualTo("the session is ending");
    }

    @Test
    void aGoodbyeGivenAsArgumentIsSpokenBeforeHangingUp() throws Exception {
        AgentSession session = session();
        llm.replyWithTools("", new ToolCall("c1", "end_call", Map.of("reason", "done", "goodbye", "Bye now!"), "{}"));

        TurnResult turn = session.callerSaid("ok").get(5, TimeUnit.SECONDS);

        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("Bye now!");
        assertThat(turn.spoken()).as("what the turn said, the tool's goodbye too").containsExactly("Bye now!");
        assertThat(turn.stateAfter()).isEqualTo(AgentSession.State.ENDING);
        assertThat(published.order).containsSubsequence("transcript:AGENT", "call-control:HangupRequested");
    }

    @Test
    void endSessionSaysTheGoodbyeThenHangsUpForTheOperator() throws Exception {
        AgentSession session = session();
        var operator = new Commands(new Issuer(IssuerKind.OPERATOR, "alice", null, null));
        var command = operator.session("room-1", EndSession.newBuilder().setReason("supervisor").setGoodbye("We have to end here. Goodbye.").build());

        var result = session.apply(command).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("We have to end here. Goodbye.");
        var request = published.callControl.getFirst();
        assertThat(((HangupRequested) request.getPayload()).getReason()).isEqualTo(EndReason.OPERATOR_HANGUP);
        assertThat(request.getIssuer().getId()).isEqualTo("alice");
        assertThat(session.apply(command).get()).isEqualTo(result);
    }

    @Test
    void theSessionEndsWhenTheCallEndedAndPublishesItsUsageLast() throws Exception {
        AgentSession session = session();
        llm.reply("Hi!");
        session.callerSaid("Hello").get(5, TimeUnit.SECONDS);

        session.callEnded(EndReason.AGENT_HANGUP, new Issuer(IssuerKind.LLM, "worker-1", null, null), "done").get(5, TimeUnit.SECONDS);

        assertThat(session.state()).isEqualTo(AgentSession.State.ENDED);
        assertThat(published.order.getLast()).isEqualTo("event:SessionEnded");
        var ended = (SessionEnded) published.events.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
        assertThat(ended.getUsage().getLlmRequests()).isEqualTo(1);
        assertThat(ended.getUsage().getLlmPromptTokens()).isEqualTo(10);
        assertThat(ended.getUsage().getUserTurns()).isEqualTo(1);
        assertThat(ended.getUsage().getAgentTurns()).isEqualTo(1);
        // Ending twice publishes nothing more.
        session.callerHungUp().get(5, TimeUnit.SECONDS);
        assertThat(published.events).hasSize(1);
    }

    @Test
    void aHangUpSeenDoneInTheRoomEndsTheSessionWithTheHangUpsReason() throws Exception {
        assertThat(endAfterHangUp(EndReason.PARTICIPANT_REMOVED)).satisfies(ended -> {
            assertThat(ended.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
            assertThat(ended.getEndedBy().getKind()).isEqualTo(IssuerKind.LLM);
            assertThat(ended.getDetail()).isEqualTo("task done");
        });
    }

    @Test
    void aRoomDeletedForTheHangUpIsTheHangUpToo() throws Exception {
        assertThat(endAfterHangUp(EndReason.ROOM_DELETED).getReason()).isEqualTo(EndReason.AGENT_HANGUP);
    }

    /** The model hangs up; the controller removes the caller (or deletes the room), seen in the room before its CallEnded. */
    private SessionEnded endAfterHangUp(EndReason seen) throws Exception {
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"));
        session.callerSaid("bye").get(5, TimeUnit.SECONDS);

        session.end(seen, new Issuer(IssuerKind.CALLER, "caller", null, null), null).get(5, TimeUnit.SECONDS);

        return (SessionEnded) published.events.getLast().getPayload();
    }

    @Test
    void aCallerWhoHangsUpFirstIsStillTheReason() throws Exception {
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"));
        session.callerSaid("bye").get(5, TimeUnit.SECONDS);

        session.callerHungUp().get(5, TimeUnit.SECONDS);

        assertThat(((SessionEnded) published.events.getLast().getPayload()).getReason()).isEqualTo(EndReason.CALLER_HANGUP);
    }

    @Test
    void anUnconfirmedHangUpStillEndsTheSession() throws Exception {
        hangupTimeout = Duration.ofMillis(200);
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "done"), "{}"));

        session.callerSaid("bye").get(5, TimeUnit.SECONDS);

        session.ended().get(5, TimeUnit.SECONDS);
        var ended = (SessionEnded) published.events.getLast().getPayload();
        assertThat(ended.getDetail()).contains("not confirmed");
    }

    @Test
    void aCallerWhoHangsUpWhileTheHangUpIsPublishedEndsTheTurnWithWhatWasSaid() throws Exception {
        published.callControlAck = new CompletableFuture<>(); // never acknowledged: the turn waits for it until the end
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"));
        var turn = session.callerSaid("No thanks, that is all");
        awaitTrue(() -> !published.callControl.isEmpty());

        session.callerHungUp().get(5, TimeUnit.SECONDS); // interrupts the turn waiting for the acknowledgement

        TurnResult result = turn.get(5, TimeUnit.SECONDS);
        assertThat(result.spoken()).containsExactly("Bye!");
        assertThat(result.stateAfter()).isEqualTo(AgentSession.State.ENDED);
        assertThat(((SessionEnded) published.events.getLast().getPayload()).getReason()).isEqualTo(EndReason.CALLER_HANGUP);
        assertThat(published.transcripts).filteredOn(s -> s.getRole() == SpeakerRole.AGENT)
                .extracting(s -> s.getText()).containsExactly("Bye!");
    }

    @Test
    void aHangUpInterruptedWhilePublishedStillEndsTheSessionWithItsReason() throws Exception {
        hangupTimeout = Duration.ofMillis(200);
        published.callControlAck = new CompletableFuture<>();
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"));
        var turn = session.callerSaid("bye");
        awaitTrue(() -> !published.callControl.isEmpty());

        assertThat(session.bargeIn()).isTrue(); // the caller talks over the end of the goodbye

        assertThat(turn.get(5, TimeUnit.SECONDS).stateAfter()).isEqualTo(AgentSession.State.ENDING);
        session.ended().get(5, TimeUnit.SECONDS);
        var ended = (SessionEnded) published.events.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
        assertThat(ended.getDetail()).contains("not confirmed");
    }

    @Test
    void aHangUpTheBrokerDoesNotTakeStillEndsTheSession() throws Exception {
        hangupTimeout = Duration.ofMillis(200);
        published.callControlAck = CompletableFuture.failedFuture(new IllegalStateException("the broker is unreachable"));
        AgentSession session = session();
        llm.replyWithTools("Bye!", new ToolCall("c1", "end_call", Map.of("reason", "task done"), "{}"));
        var turn = session.callerSaid("bye");
        assertThatThrownBy(() -> turn.get(5, TimeUnit.SECONDS)).hasMessageContaining("the hang-up request was not published");

        session.ended().get(5, TimeUnit.SECONDS);
        var ended = (SessionEnded) published.events.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.AGENT_HANGUP);
        assertThat(ended.getDetail()).contains("not confirmed");
    }

    @Test
    void aTransferInterruptedWhilePublishedCountsAsAskedForAndKeepsTheInterrupt() throws Exception {
        published.callControlAck = new CompletableFuture<>(); // never acknowledged: the request waits until interrupted
        AgentSession session = session();
        SessionCommand asked = crm.session("room-1", TransferCall.newBuilder().setTo("tel:+15550001111").build());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicBoolean interruptKept = new AtomicBoolean();
        Thread turn = Thread.ofVirtual().start(() -> {
            try {
                session.transfers().request(asked, (TransferCall) asked.getPayload());
                interruptKept.set(Thread.currentThread().isInterrupted());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        awaitTrue(() -> !published.callControl.isEmpty());

        turn.interrupt(); // the caller hangs up, or talks over the agent
        assertThat(turn.join(Duration.ofSeconds(5))).isTrue();

        assertThat(failure.get()).as("not a failure: the request is with the producer").isNull();
        assertThat(interruptKept.get()).as("the turn still sees its interrupt").isTrue();
        assertThat(session.transfers().awaiting()).as("the controller's answer still comes").isTrue();
    }

    @Test
    void instructionsCanBeReplacedAndExtended() throws Exception {
        AgentSession session = session();
        session.apply(crm.session("room-1", UpdateInstructions.newBuilder().setInstructions("Speak French.").setMode(InstructionsMode.REPLACE).build())).get();
        session.apply(crm.session("room-1", UpdateInstructions.newBuilder().setInstructions("Be brief.").setMode(InstructionsMode.APPEND).build())).get();

        assertThat(session.chatContext().getFirst()).isEqualTo(new ChatMessage.System("Speak French.\n\nBe brief."));
        assertThat(published.transcripts).extracting(s -> s.getRole()).containsOnly(SpeakerRole.SYSTEM);
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(10);
        }
    }

    /** A model that answers from a queue and remembers what it was asked. */
    private static final class QueuedLlm implements LlmClient {
        final Deque<LlmResponse> replies = new ArrayDeque<>();
        final List<LlmRequest> requests = new CopyOnWriteArrayList<>();

        void reply(String text) {
            replies.add(new LlmResponse(text, List.of(), 10, 3));
        }

        void replyWithTools(String text, ToolCall... calls) {
            replies.add(new LlmResponse(text, List.of(calls), 10, 3));
        }

        @Override
        public synchronized LlmResponse complete(LlmRequest request, TextListener onText) {
            requests.add(request);
            LlmResponse reply = replies.poll();
            if (reply == null) {
                reply = new LlmResponse("(no reply queued)", new ArrayList<>(), 10, 3);
            }
            // Stream the text in two pieces, as a real model does.
            int half = reply.text().length() / 2;
            if (!reply.text().isEmpty()) {
                onText.onText(reply.text().substring(0, half));
                onText.onText(reply.text().substring(half));
            }
            return reply;
        }

        @Override
        public String describe() {
            return "queued";
        }
    }
}
