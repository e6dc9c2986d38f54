package dev.switchboard.worker.session;

import dev.switchboard.events.DtmfReceived;
import dev.switchboard.events.DtmfSent;
import dev.switchboard.events.Issuer;
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

    private final AgentSession session;
    private final ScheduledExecutorService timers;
    private final AgentSettings.KeypadSettings settings;
    private final StringBuilder entry = new StringBuilder(); // guarded by this
    private String presser; // guarded by this
    private ScheduledFuture<?> entryEnds; // guarded by this

    Keypad(AgentSession session, ScheduledExecutorService timers, AgentSettings.KeypadSettings settings) {
        this.session = session;
        this.timers = timers;
        this.settings = settings;
    }

    /** The caller pressed a key. */
    void pressed(String participantIdentity, String key) {
        if (!KeypadTones.isTone(key)) {
            LOG.debugf("room %s: ignored key '%s' from %s", session.room(), key, participantIdentity);
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
            session.keypadEntered(by, complete);
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
            session.keypadEntered(by, complete);
        }
    }

    private String takeEntry() {
        String complete = entry.toString();
        entry.setLength(0);
        return complete;
    }

    /**
     * Sends tones to the caller's phone line, on the calling thread (the session's activity, after what it is saying):
     * returns once the last tone went out. {@code digits} are normalized and valid ({@link KeypadTones#problem}).
     */
    void send(String digits, Issuer by, String commandId) throws InterruptedException {
        CallTransport transport = session.transport();
        long spacing = settings.toneSpacing().toMillis();
        for (char tone : digits.toCharArray()) {
            if (tone == 'w') {
                Thread.sleep(KeypadTones.PAUSE_MILLIS);
                continue;
            }
            transport.sendTone(tone);
            Thread.sleep(spacing);
        }
        session.transcript().system("agent sent keypad tones " + KeypadTones.spaced(digits.replace("w", "")), by, commandId, "dtmf");
        session.publishEvent(DtmfSent.newBuilder().setDigits(digits).setCommandId(commandId).build());
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
