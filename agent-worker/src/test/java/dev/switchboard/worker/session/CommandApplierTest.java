package dev.switchboard.worker.session;

import dev.switchboard.events.CommandStatus;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Say;
import dev.switchboard.events.Transport;
import dev.switchboard.schemas.client.Commands;
import dev.switchboard.worker.llm.ChatMessage;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.simulated.SimulatedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The commands without a turn running: Say, Interrupt, EndSession and the checks every command passes. */
class CommandApplierTest {
    private final RecordingPublisher published = new RecordingPublisher();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedTransport transport = new SimulatedTransport("caller");
    private final Commands operator = new Commands(new Issuer(IssuerKind.OPERATOR, "alice", null, null));
    private final LlmClient silentModel = new LlmClient() {
        @Override
        public LlmResponse complete(dev.switchboard.worker.llm.LlmRequest request, TextListener onText) {
            return new LlmResponse("", List.of(), 1, 1);
        }

        @Override
        public String describe() {
            return "silent";
        }
    };
    private final AgentSession session = TestSessions.create("room-1", transport, silentModel, published, timers);

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void sayIsAppliedOnceSaidAndJoinsTheChatContext() throws Exception {
        var result = session.apply(operator.say("room-1", "Please hold the line.")).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(result.getCommandType()).isEqualTo("Say");
        assertThat(result.getSessionId()).isEqualTo(session.sessionId());
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("Please hold the line.");
        assertThat(session.chatContext()).contains(new ChatMessage.Assistant("Please hold the line."));
    }

    @Test
    void sayCanStayOutOfTheChatContext() throws Exception {
        var command = operator.session("room-1", Say.newBuilder().setText("Recording starts now.").setAddToChatContext(false).build());

        assertThat(session.apply(command).get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(session.chatContext()).hasSize(1); // only the instructions
    }

    @Test
    void aTextOverTheLimitIsRejectedWithTheLimit() throws Exception {
        var result = session.apply(operator.say("room-1", "x".repeat(4001))).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("text is 4001 characters; the limit is 4000");
        assertThat(transport.outbox()).isEmpty();
    }

    @Test
    void interruptingAQuietAgentIsAppliedWithANote() throws Exception {
        var result = session.apply(operator.interrupt("room-1")).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(result.getReason()).isEqualTo("nothing was being said");
    }

    @Test
    void aSayCutOffByAnInterruptThatWinsTheRaceIsStillReportedAsInterrupted() throws Exception {
        // An Interrupt interrupts the speaking thread and then cuts the audio. When the cut completes the
        // delivery first, the thread finds it done with its interrupt still pending: the Say was not all said.
        CallTransport cutOff = new CallTransport() {
            @Override
            public Transport kind() {
                return transport.kind();
            }

            @Override
            public String callerIdentity() {
                return "caller";
            }

            @Override
            public Speech startSpeech(boolean allowInterruptions) {
                CompletableFuture<Delivery> delivered = new CompletableFuture<>();
                return new Speech() {
                    @Override
                    public void append(String text) {
                    }

                    @Override
                    public void finish() {
                        delivered.complete(new Delivery("Please hold", true, 700));
                        Thread.currentThread().interrupt();
                    }

                    @Override
                    public void cancel() {
                    }

                    @Override
                    public CompletableFuture<Delivery> delivered() {
                        return delivered;
                    }
                };
            }

            @Override
            public void interrupt() {
            }

            @Override
            public void leave() {
            }
        };
        AgentSession cut = TestSessions.create("room-2", cutOff, silentModel, published, timers);

        var result = cut.apply(operator.say("room-2", "Please hold the line.")).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(result.getReason()).isEqualTo("not said: say was interrupted");
        assertThat(cut.chatContext()).contains(new ChatMessage.Assistant("Please hold"));
    }

    /** A model that answers "Sure." only once released: a turn waits on it as on a slow or hung LLM. */
    private static final class SlowModel implements LlmClient {
        final CountDownLatch called = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean interrupted;

        @Override
        public LlmResponse complete(dev.switchboard.worker.llm.LlmRequest request, TextListener onText) throws InterruptedException {
            called.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted = true;
                throw e;
            }
            return new LlmResponse("Sure.", List.of(), 1, 1);
        }

        @Override
        public String describe() {
            return "slow";
        }
    }

    @Test
    void aHangUpDoesNotWaitForATurnStillWaitingForTheModel() throws Exception {
        SlowModel model = new SlowModel();
        AgentSession thinking = TestSessions.create("room-3", transport, model, published, timers);
        var turn = thinking.callerSaid("Hello?");
        assertThat(model.called.await(5, TimeUnit.SECONDS)).isTrue();

        var result = thinking.apply(operator.endSession("room-3", "done", "Goodbye.")).get(5, TimeUnit.SECONDS);

        assertThat(result.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(model.interrupted).as("the model's request was abandoned").isTrue();
        assertThat(turn).isCompletedExceptionally();
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("Goodbye.");
    }

    @Test
    void aSayWhoseCommandExpiredWhileTheAgentWasBusyIsNotSaid() throws Exception {
        SlowModel model = new SlowModel();
        AgentSession busy = TestSessions.create("room-4", transport, model, published, timers);
        busy.callerSaid("Hello?");
        assertThat(model.called.await(5, TimeUnit.SECONDS)).isTrue();
        var say = busy.apply(operator.session("c-late", "room-4", Say.newBuilder().setText("Your order shipped.").build(),
                Duration.ofMillis(200)));

        // Answered at its expiry, while the turn still waits for the model: the sender learns why from the worker.
        var result = say.get(5, TimeUnit.SECONDS);
        assertThat(result.getStatus()).isEqualTo(CommandStatus.EXPIRED);
        assertThat(result.getReason()).contains("while waiting for the agent to finish speaking; not carried out");
        assertThat(model.release.getCount()).as("the model was not released yet").isEqualTo(1);

        model.release.countDown();
        assertThat(busy.apply(operator.say("room-4", "Anything else?")).get(5, TimeUnit.SECONDS).getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("Sure.", "Anything else?");
    }

    @Test
    void onceEndingTheSessionTakesNoMoreCommands() throws Exception {
        var end = session.apply(operator.endSession("room-1", "done", null)).get(5, TimeUnit.SECONDS);
        var late = session.apply(operator.say("room-1", "One more thing")).get(5, TimeUnit.SECONDS);

        assertThat(end.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThat(late.getStatus()).isEqualTo(CommandStatus.REJECTED);
        assertThat(late.getReason()).isEqualTo("the session is ending");

        session.callEnded(EndReason.OPERATOR_HANGUP, operator.issuer(), null).get(5, TimeUnit.SECONDS);
        var afterEnd = session.apply(operator.interrupt("room-1")).get(5, TimeUnit.SECONDS);
        assertThat(afterEnd.getReason()).isEqualTo("the session has ended");
    }

    @Test
    void aRepeatedCommandIsAnsweredWithItsFirstDecisionEvenWithNewTimes() throws Exception {
        var say = Say.newBuilder().setText("Please hold the line.").build();
        var first = session.apply(operator.session("c-1", "room-1", say, Duration.ofSeconds(30))).get(5, TimeUnit.SECONDS);
        var retry = session.apply(operator.session("c-1", "room-1", Say.newBuilder(say).build(), Duration.ofMinutes(1)))
                .get(5, TimeUnit.SECONDS);

        assertThat(retry).isEqualTo(first);
        assertThat(transport.outbox()).hasSize(1);
    }

    @Test
    void aCommandIdUsedForAnotherCommandIsRefusedAndTheOtherCommandNotApplied() throws Exception {
        var inject = InjectContext.newBuilder().setRole(ContextRole.SYSTEM).setText("The caller is a premium customer.").build();
        var first = session.apply(operator.session("c-dup", "room-1", inject, Duration.ofSeconds(30))).get(5, TimeUnit.SECONDS);
        var say = operator.session("c-dup", "room-1", Say.newBuilder().setText("Please hold the line.").build(), Duration.ofSeconds(30));

        assertThat(first.getStatus()).isEqualTo(CommandStatus.APPLIED);
        assertThatThrownBy(() -> session.apply(say))
                .isInstanceOf(CommandIdReusedException.class)
                .hasMessage("commandId c-dup was already used for another command (InjectContext); use a new commandId for a new command");
        assertThat(transport.outbox()).isEmpty();
    }

    @Test
    void aCommandIdUsedForTheSameTypeWithOtherContentIsRefused() throws Exception {
        session.apply(operator.session("c-dup", "room-1", Say.newBuilder().setText("Hello.").build(), Duration.ofSeconds(30)))
                .get(5, TimeUnit.SECONDS);
        var other = operator.session("c-dup", "room-1", Say.newBuilder().setText("Goodbye.").build(), Duration.ofSeconds(30));

        assertThatThrownBy(() -> session.apply(other)).isInstanceOf(CommandIdReusedException.class);
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("Hello.");
    }

    @Test
    void theReasonOfAHangUpFollowsWhoAskedForIt() {
        assertThat(Stream.of(IssuerKind.OPERATOR, IssuerKind.LLM, IssuerKind.POLICY, IssuerKind.SYSTEM).map(EndSessionHandler::hangupReasonFor))
                .containsExactly(EndReason.OPERATOR_HANGUP, EndReason.AGENT_HANGUP, EndReason.MAX_DURATION, EndReason.SYSTEM_HANGUP);
    }
}
