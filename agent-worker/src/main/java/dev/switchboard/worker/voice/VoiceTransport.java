package dev.switchboard.worker.voice;

import dev.switchboard.events.EndReason;
import dev.switchboard.events.Issuer;
import dev.switchboard.events.IssuerKind;
import dev.switchboard.events.Transport;
import dev.switchboard.kit.concurrent.AsyncFailures;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.CallTransport;
import dev.switchboard.worker.session.CallerSpeech;
import dev.switchboard.worker.session.SessionNotActiveException;
import dev.switchboard.worker.session.TurnFailures;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.tones.BeepWatch;
import dev.switchboard.worker.voice.tts.TextToSpeech;
import dev.switchboard.worker.voice.vad.VoiceActivityDetector;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * An audio call as its session sees it: the caller's audio goes to a {@link TurnDetector}, whose turns, interim
 * words and barge-ins reach the session; the agent's words are played by a {@link SpeechPlayer}. Captions follow
 * both.
 */
public final class VoiceTransport implements CallTransport {
    private static final Logger LOG = Logger.getLogger(VoiceTransport.class);

    private final Transport kind;
    private final String callerIdentity;
    private final TurnDetector turns;
    private final TurnLatencyMeter latency;
    private final SpeechPlayer player;

    private volatile AgentSession session;
    private volatile Captions captions = Captions.NONE;
    private volatile ToneLine toneLine;
    private volatile boolean left;
    /** Listens for a voicemail beep once the answer screen asks (a message is to be left after it); null until then. */
    private volatile BeepWatch beeps;

    /** Sends one keypad tone on the caller's phone line (on LiveKit: a SIP DTMF packet through the engine). */
    @FunctionalInterface
    public interface ToneLine {
        void send(char tone) throws InterruptedException;
    }

    public VoiceTransport(Transport kind, String callerIdentity, AudioOutput output, TextToSpeech tts, SpeechToText stt,
                          VoiceActivityDetector vad, VoiceSettings settings, ScheduledExecutorService timers,
                          Consumer<TurnLatency> latencies) {
        this.kind = kind;
        this.callerIdentity = callerIdentity;
        this.turns = new TurnDetector(stt, vad, settings, timers);
        this.latency = new TurnLatencyMeter(output, latencies);
        this.player = new SpeechPlayer(tts, output, latency);
    }

    /** Where live captions go (none by default). */
    public void captions(Captions captions) {
        this.captions = captions;
        player.captions(captions);
    }

    /** The caller's phone line for keypad tones; a call without one (a web caller) has no keypad. */
    public void toneLine(ToneLine line) {
        this.toneLine = line;
    }

    @Override
    public boolean hasKeypad() {
        return toneLine != null;
    }

    @Override
    public void sendTone(char tone) throws InterruptedException {
        ToneLine line = toneLine;
        if (line == null) {
            throw new UnsupportedOperationException("the caller is not on a phone line");
        }
        line.send(tone);
    }

    /** Connects the transport to its session; the caller's audio is accepted from then on. */
    public void attach(AgentSession session) {
        this.session = session;
        turns.start(session.room(), new CallerTurns());
    }

    @Override
    public Transport kind() {
        return kind;
    }

    @Override
    public String callerIdentity() {
        return callerIdentity;
    }

    @Override
    public double sttAudioSeconds() {
        return turns.sttAudioSeconds();
    }

    @Override
    public boolean callerSpeaking() {
        return turns.callerSpeaking();
    }

    /** The next piece of the caller's audio (any rate). */
    public void onCallerAudio(MonoAudio frame) {
        if (left || session == null) {
            return;
        }
        turns.onCallerAudio(frame);
        BeepWatch listening = beeps;
        if (listening != null) {
            listening.heard(frame);
        }
    }

    @Override
    public void listenForBeep() {
        if (beeps == null) {
            beeps = new BeepWatch();
        }
    }

    @Override
    public void stopListeningForBeep() {
        beeps = null;
    }

    @Override
    public CompletableFuture<Void> beepEnded(Duration recently) {
        BeepWatch listening = beeps;
        return listening == null ? CompletableFuture.completedFuture(null) : listening.ended(recently);
    }

    /**
     * The caller left (hung up): their last words are asked for and recorded, then the session ends.
     * Completes when the session has ended.
     */
    public CompletableFuture<Void> callerLeft() {
        return callerLeft(EndReason.CALLER_HANGUP);
    }

    /** The caller left for the given reason (hung up, did not answer, busy, removed...). */
    public CompletableFuture<Void> callerLeft(EndReason reason) {
        Optional<CallerSpeech> last = turns.lastWords();
        last.ifPresent(words -> {
            captions.caller(words.segmentId(), words.text(), true);
            session.callerFinished(words);
        });
        return reason == EndReason.CALLER_HANGUP ? session.callerHungUp()
                : session.end(reason, new Issuer(IssuerKind.CALLER, callerIdentity, null, null), null);
    }

    @Override
    public Speech startSpeech(boolean allowInterruptions) {
        return player.start(allowInterruptions);
    }

    @Override
    public void interrupt() {
        player.interrupt();
    }

    @Override
    public void leave() {
        left = true;
        turns.close();
    }

    /** What turn detection tells the session, and the captions. */
    private final class CallerTurns implements TurnDetector.Hooks {
        @Override
        public long elapsedMs() {
            return session.elapsedMs();
        }

        @Override
        public boolean agentSpeaking() {
            return player.isSpeaking();
        }

        @Override
        public void bargeIn() {
            if (session.bargeIn()) {
                LOG.debugf("room %s: the caller barged in", session.room());
            }
        }

        @Override
        public void callerSpeaking(CallerSpeech soFar) {
            session.callerSpeaking(soFar);
            captions.caller(soFar.segmentId(), soFar.text(), false);
        }

        @Override
        public void turnEnded(CallerSpeech turn, long speechEndedNanos) {
            captions.caller(turn.segmentId(), turn.text(), true);
            latency.turnCommitted(speechEndedNanos);
            try {
                session.callerSaid(turn).exceptionally(error -> {
                    if (TurnFailures.wasCutShort(error)) {
                        LOG.debugf("room %s: turn ended without an answer: %s", session.room(), AsyncFailures.cause(error).getMessage());
                    } else {
                        LOG.warnf("room %s: the agent could not answer the caller: %s", session.room(), AsyncFailures.cause(error).getMessage());
                    }
                    return null;
                });
            } catch (SessionNotActiveException e) {
                session.callerFinished(turn); // the call is ending: keep the words, do not answer them
            }
        }
    }
}
