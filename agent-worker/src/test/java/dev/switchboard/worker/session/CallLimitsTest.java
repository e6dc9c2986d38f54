package dev.switchboard.worker.session;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.HangupRequested;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.SessionEnded;
import dev.switchboard.worker.llm.LlmClient;
import dev.switchboard.worker.llm.LlmResponse;
import dev.switchboard.worker.simulated.SimulatedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** A call's time limits: the maximum duration and the caller's silence, on a controlled clock. */
class CallLimitsTest {
    private static final Duration SILENCE = Duration.ofSeconds(30);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicLong nanos = new AtomicLong();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** Records what the limits do to the call. */
    private static final class FakeCall implements CallLimits.Call {
        final List<String> said = new CopyOnWriteArrayList<>();
        final List<String> hangUps = new CopyOnWriteArrayList<>();
        final AtomicBoolean busy = new AtomicBoolean();
        final AtomicBoolean speaking = new AtomicBoolean();
        final AtomicInteger speakingChecks = new AtomicInteger();

        @Override
        public String room() {
            return "room-1";
        }

        @Override
        public String workerId() {
            return "worker-1";
        }

        @Override
        public boolean agentBusy() {
            return busy.get();
        }

        @Override
        public boolean callerSpeaking() {
            speakingChecks.incrementAndGet();
            return speaking.get();
        }

        @Override
        public void say(String line) {
            said.add(line);
        }

        @Override
        public boolean hangUp(String goodbye, EndReason reason, String detail, Issuer issuer) {
            hangUps.add(reason + "|" + goodbye + "|" + detail + "|" + issuer.getKind());
            return true;
        }
    }

    private CallLimits.Limits silenceOnly() {
        return new CallLimits.Limits(Duration.ZERO, "closing", SILENCE, "Are you still there?", "Goodbye then.");
    }

    private void pass(Duration time) {
        nanos.addAndGet(time.toNanos());
    }

    @Test
    void aSilentCallerIsAskedOnceThenHungUpOn() throws Exception {
        FakeCall call = new FakeCall();
        CallLimits limits = new CallLimits(call, silenceOnly(), nanos::get);
        limits.start(timers);

        pass(SILENCE.minusSeconds(1));
        Thread.sleep(700);
        assertThat(call.said).as("not silent long enough yet").isEmpty();

        pass(Duration.ofSeconds(2));
        await(() -> call.said.size() == 1);
        assertThat(call.said).containsExactly("Are you still there?");

        pass(SILENCE.plusSeconds(1));
        await(() -> call.hangUps.size() == 1);
        assertThat(call.hangUps.getFirst()).startsWith("SILENCE_TIMEOUT|Goodbye then.|the caller said nothing for 30 s").endsWith("|SYSTEM");
        assertThat(call.said).hasSize(1);
    }

    @Test
    void hearingTheCallerStartsTheSilenceAgainAndALongAnswerIsNotTheCallersSilence() throws Exception {
        FakeCall call = new FakeCall();
        CallLimits limits = new CallLimits(call, silenceOnly(), nanos::get);
        limits.start(timers);

        pass(SILENCE.plusSeconds(1));
        await(() -> call.said.size() == 1);
        limits.callerHeard(); // the caller answers: asked again later, not hung up on

        call.busy.set(true); // the agent talks for a long time
        pass(SILENCE.plusSeconds(5));
        Thread.sleep(1200);
        assertThat(call.said).hasSize(1);
        assertThat(call.hangUps).isEmpty();

        call.busy.set(false);
        Thread.sleep(700);
        pass(SILENCE.plusSeconds(1));
        await(() -> call.said.size() == 2);
        assertThat(call.hangUps).as("a new silence is asked about first").isEmpty();
        limits.stop();
    }

    @Test
    void aCallerTalkingLongerThanTheTimeoutIsNotSilentBeforeTheirWordsAreRecognized() throws Exception {
        FakeCall call = new FakeCall();
        CallLimits limits = new CallLimits(call, silenceOnly(), nanos::get);
        limits.start(timers);

        pass(SILENCE.plusSeconds(1));
        await(() -> call.said.size() == 1);

        call.speaking.set(true); // the caller answers at length; the recognizer has not answered yet
        pass(SILENCE.plusSeconds(5));
        awaitChecks(call, 2);
        assertThat(call.hangUps).as("not hung up on while talking").isEmpty();

        call.speaking.set(false); // they stopped, and nothing they said was recognized: a new silence, still asked about once
        pass(SILENCE.minusSeconds(1));
        awaitChecks(call, 2);
        assertThat(call.hangUps).as("the silence counts from the end of their speech").isEmpty();
        pass(Duration.ofSeconds(2));
        await(() -> call.hangUps.size() == 1);
        assertThat(call.said).hasSize(1);
    }

    @Test
    void atTheMaximumDurationTheAgentSaysItsClosingLineAndHangsUp() throws Exception {
        FakeCall call = new FakeCall();
        var limits = new CallLimits(call, new CallLimits.Limits(Duration.ofMillis(300), "Time is up, goodbye.", Duration.ZERO, "?", "bye"),
                nanos::get);
        limits.start(timers);

        await(() -> call.hangUps.size() == 1);
        assertThat(call.hangUps.getFirst()).isEqualTo("MAX_DURATION|Time is up, goodbye.|the call reached its maximum duration of 300 ms|SYSTEM");
    }

    @Test
    void aStoppedWatchDoesNothing() throws Exception {
        FakeCall call = new FakeCall();
        var limits = new CallLimits(call, new CallLimits.Limits(Duration.ofMillis(300), "closing", SILENCE, "?", "bye"), nanos::get);
        limits.start(timers);
        limits.stop();

        pass(SILENCE.multipliedBy(3));
        Thread.sleep(1000);
        assertThat(call.said).isEmpty();
        assertThat(call.hangUps).isEmpty();
    }

    @Test
    void aSessionAtItsMaximumDurationIsHeardSayingTheClosingLineAndRequestsTheHangUp() throws Exception {
        RecordingPublisher published = new RecordingPublisher();
        SimulatedTransport transport = new SimulatedTransport("caller");
        LlmClient silentModel = new LlmClient() {
            @Override
            public LlmResponse complete(dev.switchboard.worker.llm.LlmRequest request, TextListener onText) {
                return new LlmResponse("", List.of(), 0, 0);
            }

            @Override
            public String describe() {
                return "silent";
            }
        };
        AgentSession session = TestSessions.create("room-limit", transport, silentModel, published, timers);

        session.watchLimits(new CallLimits.Limits(Duration.ofMillis(300), "We are out of time, goodbye.", Duration.ZERO, "?", "bye"));

        await(() -> !published.callControl.isEmpty());
        HangupRequested hangup = (HangupRequested) published.callControl.getFirst().getPayload();
        assertThat(hangup.getReason()).isEqualTo(EndReason.MAX_DURATION);
        assertThat(published.callControl.getFirst().getIssuer().getKind()).isEqualTo(IssuerKind.SYSTEM);
        assertThat(transport.outbox()).extracting(SimulatedTransport.AgentUtterance::text).containsExactly("We are out of time, goodbye.");
        assertThat(published.transcripts).extracting(s -> s.getRole() + ":" + s.getText()).containsExactly("AGENT:We are out of time, goodbye.");
        assertThat(session.state()).isEqualTo(AgentSession.State.ENDING);

        session.callEnded(EndReason.MAX_DURATION, published.callControl.getFirst().getIssuer(), "hung up").get(5, TimeUnit.SECONDS);
        SessionEnded ended = (SessionEnded) published.events.getLast().getPayload();
        assertThat(ended.getReason()).isEqualTo(EndReason.MAX_DURATION);
    }

    /** Waits until the watch has looked at the call this many more times. */
    private static void awaitChecks(FakeCall call, int more) throws InterruptedException {
        int target = call.speakingChecks.get() + more;
        await(() -> call.speakingChecks.get() >= target);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("not within 5 s").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
