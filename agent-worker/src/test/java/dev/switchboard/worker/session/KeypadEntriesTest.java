package dev.switchboard.worker.session;

import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.worker.llm.ChatMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The keypad on its own, through a call that records what the keypad does to it: entries in, tones out. */
class KeypadEntriesTest {
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final FakeCall call = new FakeCall();
    /** The pause that ends an entry: long enough that keys pressed one after the other are one entry on a busy machine. */
    private final Keypad keypad = new Keypad("room-1", call, timers, TestSessions.keypad(Duration.ofSeconds(1)));

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    /** Records, in order, what the keypad does to its call. */
    private static final class FakeCall implements Keypad.Call {
        final List<String> did = new CopyOnWriteArrayList<>();
        final List<Object> events = new CopyOnWriteArrayList<>();
        final Semaphore answers = new Semaphore(0);
        volatile boolean active = true;

        @Override
        public boolean tell(String line, Issuer by, String commandId, String label, ChatMessage toModel, boolean callerTurn) {
            did.add("tell|" + line + "|" + by.getKind() + ":" + by.getId() + "|" + label + "|" + toModel + "|" + callerTurn);
            return active;
        }

        @Override
        public void answerNow(String task, String what) {
            did.add("answer|" + task);
            answers.release();
        }

        @Override
        public void sendTone(char tone) {
            did.add("tone|" + tone);
        }

        @Override
        public void callerHeard() {
            did.add("heard");
        }

        @Override
        public void systemLine(String line, Issuer by, String commandId, String label) {
            did.add("line|" + line + "|" + by.getKind() + "|" + commandId + "|" + label);
        }

        @Override
        public void publishEvent(Object payload) {
            did.add("event|" + payload.getClass().getSimpleName());
            events.add(payload);
        }
    }

    @Test
    void keysAreGatheredIntoAnEntryThatEndsWithHashOrAPauseAndTheModelAnswersIt() throws Exception {
        keypad.pressed("caller-1", "1");
        keypad.pressed("caller-1", "x"); // not a tone: ignored
        keypad.pressed("caller-1", "2");
        assertThat(call.did).as("the entry is not complete yet").isEmpty();
        keypad.pressed("caller-1", "#");

        assertThat(call.did).containsExactly(
                "heard",
                "tell|caller pressed 1 2 #|CALLER:caller-1|dtmf|"
                        + new ChatMessage.User("(The caller pressed these keys on their phone keypad: 1 2 #)") + "|true",
                "event|DtmfReceived",
                "answer|keypad");
        assertThat(call.events.getFirst()).isEqualTo(DtmfReceived.newBuilder().setParticipantIdentity("caller-1").setDigits("12#").build());

        call.did.clear();
        call.events.clear();
        keypad.pressed("caller-1", "4");
        keypad.pressed("caller-1", "b");
        assertThat(call.answers.tryAcquire(2, 5, TimeUnit.SECONDS)).as("both entries answered, the second after the pause").isTrue();
        assertThat(call.did).hasSize(4);
        assertThat(call.did.get(1)).startsWith("tell|caller pressed 4 B|");
        assertThat(call.events).containsExactly(DtmfReceived.newBuilder().setParticipantIdentity("caller-1").setDigits("4B").build());
    }

    @Test
    void anEntryTheSessionNoLongerTakesIsNeitherAnnouncedNorAnswered() {
        call.active = false;
        keypad.pressed("caller-1", "7");
        keypad.pressed("caller-1", "#");

        assertThat(call.did).hasSize(2);
        assertThat(call.did.get(1)).startsWith("tell|caller pressed 7 #|");
    }

    @Test
    void tonesGoOutOneAtATimeAndAreRecorded() throws Exception {
        keypad.send("1w2#", new Issuer(IssuerKind.LLM, "worker-1", null, null), "command-1");

        assertThat(call.did).containsExactly("tone|1", "tone|2", "tone|#",
                "line|agent sent keypad tones 1 2 #|LLM|command-1|dtmf", "event|DtmfSent");
        assertThat(call.events).containsExactly(DtmfSent.newBuilder().setDigits("1w2#").setCommandId("command-1").build());
    }
}
