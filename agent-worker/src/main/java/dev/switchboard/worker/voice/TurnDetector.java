package dev.switchboard.worker.voice;

import dev.switchboard.worker.session.CallerSpeech;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.audio.Resampler;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.vad.SpeechSegmenter;
import dev.switchboard.worker.voice.vad.VoiceActivityDetector;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds the caller's turns in their audio (LiveKit Agents' audio recognition): the VAD hears when they talk,
 * speech recognition says what they said, and the two decide together when a turn is over and when the caller
 * is talking over the agent. What it finds goes to its {@link Hooks}:
 * <ul>
 *   <li>the turn ends when the VAD has heard {@code minSilence} of silence and the recognizer's final transcript is
 *       in (waiting {@code minEndpointingDelay} for more speech, at most {@code maxEndpointingDelay} for the
 *       final);</li>
 *   <li>barge-in: when the caller talks over the agent for {@code minInterruption};</li>
 *   <li>when the caller leaves mid-sentence, the recognizer is asked for their last words ({@link #lastWords}).</li>
 * </ul>
 * Audio arrives from one media thread ({@link #onCallerAudio}); recognizer results and timers from others.
 */
final class TurnDetector {
    private static final Logger LOG = Logger.getLogger(TurnDetector.class);

    /** What turn detection tells the call, and the two things it asks of it. */
    interface Hooks {
        /** Milliseconds since the session started: the time base of the caller's lines. */
        long elapsedMs();

        /** Whether the agent is saying something the caller may interrupt. */
        boolean agentSpeaking();

        /** The caller has been talking over the agent long enough: the agent should stop. */
        void bargeIn();

        /** What the caller has said so far in the turn (not final). */
        void callerSpeaking(CallerSpeech soFar);

        /** The caller's turn is over; {@code speechEndedNanos} is when the VAD heard them stop ({@link System#nanoTime}). */
        void turnEnded(CallerSpeech turn, long speechEndedNanos);
    }

    private final SpeechToText stt;
    private final VoiceSettings settings;
    private final ScheduledExecutorService timers;
    private final SpeechSegmenter segmenter;

    private Hooks hooks;
    private String room;
    private SpeechToText.Stream recognition;
    private Resampler inputResampler;
    private long inputOffsetMs;        // session time at which the caller's audio started
    private volatile long sttAudioMillis;

    // The turn, guarded by this.
    private String segmentId;
    private long turnStartMs = -1;
    private long turnEndMs;
    private final StringBuilder finals = new StringBuilder();
    private String interim = "";
    private float confidence = 1f;
    private String language;
    private boolean callerSpeaking;
    private long speechEndedNanos;
    private long speechStartedNanos;
    private boolean bargedIn;
    /** Completed when the turn has its final transcript or was committed: what {@link #lastWords} waits for. */
    private CompletableFuture<Void> settled;

    TurnDetector(SpeechToText stt, VoiceActivityDetector vad, VoiceSettings settings, ScheduledExecutorService timers) {
        this.stt = stt;
        this.settings = settings;
        this.timers = timers;
        this.segmenter = new SpeechSegmenter(vad, new SpeechSegmenter.Settings(settings.activationThreshold(),
                settings.minSpeech().toMillis(), settings.minSilence().toMillis()), new Segments());
    }

    /** Starts listening: recognition opens and the caller's audio counts from now. */
    void start(String room, Hooks hooks) {
        this.room = room;
        this.hooks = hooks;
        this.inputOffsetMs = hooks.elapsedMs();
        this.recognition = stt.open(new Recognition());
    }

    /** Whether the VAD hears the caller talking now (from the start of their speech to the silence that ends it). */
    synchronized boolean callerSpeaking() {
        return callerSpeaking;
    }

    /** Seconds of the caller's audio sent to speech recognition so far. */
    double sttAudioSeconds() {
        return sttAudioMillis / 1000.0;
    }

    /** The next piece of the caller's audio (any rate; resampled to 16 kHz). */
    void onCallerAudio(MonoAudio frame) {
        MonoAudio pcm16k = frame;
        if (frame.sampleRate() != 16_000) {
            if (inputResampler == null || inputResampler.fromRate() != frame.sampleRate()) {
                inputResampler = new Resampler(frame.sampleRate(), 16_000);
            }
            pcm16k = inputResampler.process(frame);
        }
        sttAudioMillis += pcm16k.durationMicros() / 1000;
        recognition.push(pcm16k);
        segmenter.accept(pcm16k);
    }

    /**
     * The caller left: the recognizer is asked to finish, and what the caller said since their last turn is
     * returned once its final transcript is in (or, after {@code lastWordsWait}, the best guess).
     */
    Optional<CallerSpeech> lastWords() {
        recognition.speechEnded();
        CompletableFuture<Void> waitFor;
        synchronized (this) {
            boolean nothingPending = !finals.isEmpty() || segmentId == null;
            waitFor = nothingPending ? CompletableFuture.completedFuture(null) : (settled = new CompletableFuture<>());
        }
        try {
            waitFor.get(settings.lastWordsWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the recognizer had nothing final to add: keep the interim words
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause()); // never completed exceptionally
        }
        synchronized (this) {
            String text = !finals.isEmpty() ? finals.toString() : interim;
            Optional<CallerSpeech> last = segmentId == null || text.isBlank() ? Optional.empty()
                    : Optional.of(new CallerSpeech(segmentId, text.strip(), turnStartMs, Math.max(turnEndMs, hooks.elapsedMs()),
                            confidence, language));
            resetTurn();
            return last;
        }
    }

    /** Stops listening: recognition closes. */
    void close() {
        if (recognition != null) {
            recognition.close();
        }
    }

    /** The VAD's decisions. */
    private final class Segments implements SpeechSegmenter.Events {
        @Override
        public void speechStarted(long atMs) {
            synchronized (TurnDetector.this) {
                callerSpeaking = true;
                bargedIn = false;
                speechStartedNanos = System.nanoTime();
                if (segmentId == null) {
                    segmentId = UUID.randomUUID().toString();
                    turnStartMs = inputOffsetMs + atMs;
                }
            }
            recognition.speechStarted();
        }

        @Override
        public void speechEnded(long atMs) {
            synchronized (TurnDetector.this) {
                callerSpeaking = false;
                speechEndedNanos = System.nanoTime();
                turnEndMs = inputOffsetMs + atMs;
            }
            recognition.speechEnded();
            timers.schedule(TurnDetector.this::maybeEndTurn, settings.minEndpointingDelay().toMillis(), TimeUnit.MILLISECONDS);
            timers.schedule(TurnDetector.this::maybeEndTurn, settings.maxEndpointingDelay().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void window(boolean speakingNow, float probability) {
            if (!speakingNow) {
                return;
            }
            boolean agentSpeaking = hooks.agentSpeaking();
            boolean interrupt;
            synchronized (TurnDetector.this) {
                interrupt = !bargedIn && agentSpeaking && System.nanoTime() - speechStartedNanos >= settings.minInterruption().toNanos();
                if (interrupt) {
                    bargedIn = true;
                }
            }
            if (interrupt) {
                hooks.bargeIn();
            }
        }
    }

    /** Speech recognition results. */
    private final class Recognition implements SpeechToText.Listener {
        @Override
        public void interim(String text, float confidence) {
            CallerSpeech line;
            synchronized (TurnDetector.this) {
                if (segmentId == null) {
                    segmentId = UUID.randomUUID().toString();
                    turnStartMs = hooks.elapsedMs();
                }
                interim = text;
                line = new CallerSpeech(segmentId, (finals + " " + text).strip(), turnStartMs, hooks.elapsedMs(), confidence, language);
            }
            hooks.callerSpeaking(line);
        }

        @Override
        public void finalResult(SpeechToText.Result result) {
            CallerSpeech line;
            synchronized (TurnDetector.this) {
                if (segmentId == null) {
                    segmentId = UUID.randomUUID().toString();
                    turnStartMs = inputOffsetMs + result.startMs();
                }
                finals.append(finals.isEmpty() ? "" : " ").append(result.text());
                interim = "";
                confidence = Math.min(confidence, result.confidence());
                language = result.language();
                turnEndMs = Math.max(turnEndMs, inputOffsetMs + result.endMs());
                line = new CallerSpeech(segmentId, finals.toString(), turnStartMs, turnEndMs, confidence, language);
                signalSettled();
            }
            hooks.callerSpeaking(line);
            maybeEndTurn();
        }

        @Override
        public void failed(Throwable error) {
            LOG.warnf("room %s: speech recognition failed: %s", room, error.getMessage());
        }
    }

    /** Ends the caller's turn when they have been quiet long enough and the transcript is final. */
    private void maybeEndTurn() {
        CallerSpeech turn;
        long vadEndNanos;
        synchronized (this) {
            if (segmentId == null || callerSpeaking || speechEndedNanos == 0) {
                return;
            }
            long quietNanos = System.nanoTime() - speechEndedNanos;
            boolean settledDown = quietNanos >= settings.minEndpointingDelay().toNanos() - 1_000_000;
            boolean gaveUpWaiting = quietNanos >= settings.maxEndpointingDelay().toNanos() - 1_000_000;
            String text = finals.isEmpty() && gaveUpWaiting ? interim : finals.toString();
            if (!settledDown || text.isBlank() || (finals.isEmpty() && !gaveUpWaiting)) {
                return;
            }
            turn = new CallerSpeech(segmentId, text.strip(), turnStartMs, turnEndMs, confidence, language);
            vadEndNanos = speechEndedNanos;
            resetTurn();
        }
        hooks.turnEnded(turn, vadEndNanos);
    }

    private void resetTurn() {
        segmentId = null;
        finals.setLength(0);
        interim = "";
        confidence = 1f;
        speechEndedNanos = 0;
        turnStartMs = -1;
        signalSettled();
    }

    private void signalSettled() {
        if (settled != null) {
            settled.complete(null);
            settled = null;
        }
    }
}
