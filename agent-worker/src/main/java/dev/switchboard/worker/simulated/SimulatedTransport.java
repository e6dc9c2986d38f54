package dev.switchboard.worker.simulated;

import dev.switchboard.events.Transport;
import dev.switchboard.worker.session.CallTransport;
import dev.switchboard.worker.session.SpeechTiming;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The simulated call: text in, text out, no audio and no LiveKit. What the agent says is delivered at once into
 * an outbox the HTTP API shows; its duration is estimated from the words, so transcripts have realistic timings.
 */
public final class SimulatedTransport implements CallTransport {

    /** Something the agent said on this call. */
    public record AgentUtterance(String text, Instant at) {
    }

    /** A keypad tone the agent sent on this call. */
    public record SentTone(char tone, Instant at) {
    }

    private final String callerIdentity;
    private final boolean phoneLine;
    private final List<AgentUtterance> outbox = new CopyOnWriteArrayList<>();
    private final List<SentTone> tonesSent = new CopyOnWriteArrayList<>();
    private volatile boolean left;

    /** A caller without a phone line (a web caller): no keypad. */
    public SimulatedTransport(String callerIdentity) {
        this(callerIdentity, false);
    }

    /** {@code phoneLine}: the simulated caller dialled in from a phone, so the call has a keypad both ways. */
    public SimulatedTransport(String callerIdentity, boolean phoneLine) {
        this.callerIdentity = callerIdentity;
        this.phoneLine = phoneLine;
    }

    @Override
    public Transport kind() {
        return Transport.SIMULATED;
    }

    @Override
    public String callerIdentity() {
        return callerIdentity;
    }

    /** The text arrives in pieces and is delivered whole when it is complete: a text channel has no pace to keep. */
    @Override
    public Speech startSpeech(boolean allowInterruptions) {
        return new Speech() {
            private final StringBuilder text = new StringBuilder();
            private final CompletableFuture<Delivery> delivered = new CompletableFuture<>();

            @Override
            public synchronized void append(String piece) {
                text.append(piece);
            }

            @Override
            public synchronized void finish() {
                if (left) {
                    delivered.completeExceptionally(new IllegalStateException("the agent has left the call"));
                    return;
                }
                String whole = text.toString();
                outbox.add(new AgentUtterance(whole, Instant.now()));
                delivered.complete(new Delivery(whole, false, SpeechTiming.estimateMillis(whole)));
            }

            @Override
            public synchronized void cancel() {
                delivered.complete(new Delivery("", true, 0));
            }

            @Override
            public CompletableFuture<Delivery> delivered() {
                return delivered;
            }
        };
    }

    @Override
    public void interrupt() {
        // Text is delivered whole and at once: there is never anything left to cut off.
    }

    @Override
    public boolean hasKeypad() {
        return phoneLine;
    }

    @Override
    public void sendTone(char tone) {
        if (!phoneLine) {
            throw new UnsupportedOperationException("this simulated caller has no phone line");
        }
        tonesSent.add(new SentTone(tone, Instant.now()));
    }

    @Override
    public void leave() {
        left = true;
    }

    /** The keypad tones the agent sent, in order. */
    public List<SentTone> tonesSent() {
        return List.copyOf(tonesSent);
    }

    public List<AgentUtterance> outbox() {
        return List.copyOf(outbox);
    }
}
