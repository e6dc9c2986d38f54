package dev.switchboard.worker.session;

import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.worker.llm.ChatMessage;
import org.jboss.logging.Logger;

import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A phone call's keypad, both ways. The keys the caller presses are gathered into one entry, which ends with
 * {@code #} or when the caller pauses longer than the inter-digit timeout (as IVRs do): the entry becomes a SYSTEM line
 * of the transcript, a {@link DtmfReceived} session event and the caller's input to the model, which answers it. Tones
 * the agent sends (a SendDtmf command, the send_dtmf tool) go out one at a time, spaced as a phone network expects,
 * and are recorded the same way ({@link DtmfSent}).
 */
final class Keypad {
    private static final Logger LOG = Logger.getLogger(Keypad.class);

    /** What the keypad may do to its call: play tones on the line, record lines and events, hand entries to the model. */
    interface Call extends ModelNotices {
        /** Sends one keypad tone to the caller's phone line. */
        void sendTone(char tone) throws InterruptedException;

        /** The caller did something (the call's silence limit starts over). */
        void callerHeard();

        /** A SYSTEM line in the transcript, whatever the session's state. */
        void systemLine(String line, Issuer by, String commandId, String label);

        /** Publishes a session event of this session (not waiting for Kafka). */
        void publishEvent(Object payload);
    }

    private final String room;
    private final Call call;
    private final ScheduledExecutorService timers;
    private final AgentSettings.KeypadSettings settings;
    private final StringBuilder entry = new StringBuilder(); // guarded by this
    private String presser; // guarded by this
    private ScheduledFuture<?> entryEnds; // guarded by this

    Keypad(String room, Call call, ScheduledExecutorService timers, AgentSettings.KeypadSettings settings) {
        this.room = room;
        this.call = call;
        this.timers = timers;
        this.settings = settings;
    }

    /** The caller pressed a key. */
    void pressed(String participantIdentity, String key) {
        if (!KeypadTones.isTone(key)) {
            LOG.debugf("room %s: ignored key '%s' from %s", room, key, participantIdentity);
            return;
        }
        String complete = null;
        String by;
        synchronized (this) {
            if (entryEnds != null) {
                entryEnds.cancel(false);
                entryEnds = null;
            }
            presser = participantIdentity;
            entry.append(key.toUpperCase(Locale.ROOT));
            by = presser;
            if (key.equals("#") || entry.length() >= KeypadTones.MAX_TONES) {
                complete = takeEntry();
            } else {
                entryEnds = timers.schedule(this::entryTimedOut, settings.interDigitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        if (complete != null) {
            entered(by, complete);
        }
    }

    private void entryTimedOut() {
        String complete;
        String by;
        synchronized (this) {
            entryEnds = null;
            by = presser;
            complete = takeEntry();
        }
        if (!complete.isEmpty()) {
            entered(by, complete);
        }
    }

    private String takeEntry() {
        String complete = entry.toString();
        entry.setLength(0);
        return complete;
    }

    /** A complete entry: recorded, announced, and answered by the model as the caller's input. */
    private void entered(String participantIdentity, String digits) {
        call.callerHeard();
        String pressed = KeypadTones.spaced(digits);
        if (!call.tell("caller pressed " + pressed, new Issuer(IssuerKind.CALLER, participantIdentity, null, null), null, "dtmf",
                new ChatMessage.User("(The caller pressed these keys on their phone keypad: " + pressed + ")"), true)) {
            return;
        }
        call.publishEvent(DtmfReceived.newBuilder().setParticipantIdentity(participantIdentity).setDigits(digits).build());
        call.answerNow("keypad", "the keypad entry");
    }

    /**
     * Sends tones to the caller's phone line, on the calling thread (the session's activity, after what it is saying):
     * returns once the last tone went out. {@code digits} are normalized and valid ({@link KeypadTones#problem}).
     */
    void send(String digits, Issuer by, String commandId) throws InterruptedException {
        long spacing = settings.toneSpacing().toMillis();
        for (char tone : digits.toCharArray()) {
            if (tone == 'w') {
                Thread.sleep(KeypadTones.PAUSE_MILLIS);
                continue;
            }
            call.sendTone(tone);
            Thread.sleep(spacing);
        }
        call.systemLine("agent sent keypad tones " + KeypadTones.spaced(digits.replace("w", "")), by, commandId, "dtmf");
        call.publishEvent(DtmfSent.newBuilder().setDigits(digits).setCommandId(commandId).build());
    }

    /** Drops a half-typed entry when the session ends. */
    synchronized void close() {
        if (entryEnds != null) {
            entryEnds.cancel(false);
            entryEnds = null;
        }
        entry.setLength(0);
    }
}
