package dev.switchboard.worker.voice;

import dev.switchboard.worker.concurrent.WorkerThreads;
import dev.switchboard.events.Transport;
import dev.switchboard.worker.session.AgentSession;
import dev.switchboard.worker.session.CallerSpeech;
import dev.switchboard.worker.session.CallTransport;
import dev.switchboard.worker.session.SessionNotActiveException;
import dev.switchboard.worker.voice.audio.MonoAudio;
import dev.switchboard.worker.voice.audio.Resampler;
import dev.switchboard.worker.voice.stt.SpeechToText;
import dev.switchboard.worker.voice.tts.TextToSpeech;
import dev.switchboard.worker.voice.vad.SpeechSegmenter;
import dev.switchboard.worker.voice.vad.VoiceActivityDetector;
import org.jboss.logging.Logger;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An audio call: the caller's audio goes through the VAD and speech recognition into turns, the agent's words go
 * through speech synthesis to the output, and the two meet in turn-taking:
 * <ul>
 *   <li>the caller's turn ends when the VAD has heard {@code minSilence} of silence and the recognizer's final
 *       transcript is in (waiting {@code minEndpointingDelay} for more speech, at most {@code maxEndpointingDelay}
 *       for the final);</li>
 *   <li>barge-in: when the caller talks over the agent for {@code minInterruption}, playout stops at once and
 *       the agent's line keeps only the words that were played;</li>
 *   <li>when the caller hangs up mid-sentence, the recognizer is asked for its last words before the session ends.</li>
 * </ul>
 * Audio arrives from one media thread ({@link #onCallerAudio}); recognizer results and timers from others.
 */
public final class VoiceTransport implements CallTransport {
    private static final Logger LOG = Logger.getLogger(VoiceTransport.class);

    private final Transport kind;
    private final String callerIdentity;
    private final AudioOutput output;
    private final TextToSpeech tts;
    private final SpeechToText stt;
    private final VoiceSettings settings;
    private final ScheduledExecutorService timers;
    private final Consumer<TurnLatency> latencies;
    private final SpeechSegmenter segmenter;

    private volatile AgentSession session;
    private volatile Captions captions = Captions.NONE;
    private SpeechToText.Stream recognition;
    private Resampler inputResampler;
    private long inputOffsetMs;        // session time at which the caller's audio started
    private volatile boolean left;

    // Turn state, guarded by this.
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

    // The agent's speech.
    private volatile VoiceSpeech speaking;
    private volatile long turnCommittedNanos;   // the VAD's end of speech of the turn being answered
    private volatile long firstTokenNanos;
    private volatile long firstAudioNanos;
    private volatile long committedAtNanos;
    private volatile long sttAudioMillis;

    public VoiceTransport(Transport kind, String callerIdentity, AudioOutput output, TextToSpeech tts, SpeechToText stt,
                          VoiceActivityDetector vad, VoiceSettings settings, ScheduledExecutorService timers,
                          Consumer<TurnLatency> latencies) {
        this.kind = kind;
        this.callerIdentity = callerIdentity;
        this.output = output;
        this.tts = tts;
        this.stt = stt;
        this.settings = settings;
        this.timers = timers;
        this.latencies = latencies;
        this.segmenter = new SpeechSegmenter(vad, new SpeechSegmenter.Settings(settings.activationThreshold(),
                settings.minSpeech().toMillis(), settings.minSilence().toMillis()), new Segments());
    }

    /** Where live captions go (none by default). */
    public void captions(Captions captions) {
        this.captions = captions;
    }

    /** Connects the transport to its session; the caller's audio is accepted from then on. */
    public void attach(AgentSession session) {
        this.session = session;
        this.inputOffsetMs = session.elapsedMs();
        this.recognition = stt.open(new Recognition());
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
        return sttAudioMillis / 1000.0;
    }

    // ------------------------------------------------------------------ caller audio in

    /** The next piece of the caller's audio (any rate; resampled to 16 kHz). */
    public void onCallerAudio(MonoAudio frame) {
        if (left || session == null) {
            return;
        }
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

    /** The VAD's decisions. */
    private final class Segments implements SpeechSegmenter.Events {
        @Override
        public void speechStarted(long atMs) {
            synchronized (VoiceTransport.this) {
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
            synchronized (VoiceTransport.this) {
                callerSpeaking = false;
                speechEndedNanos = System.nanoTime();
                turnEndMs = inputOffsetMs + atMs;
            }
            recognition.speechEnded();
            timers.schedule(VoiceTransport.this::maybeEndTurn, settings.minEndpointingDelay().toMillis(), TimeUnit.MILLISECONDS);
            timers.schedule(VoiceTransport.this::maybeEndTurn, settings.maxEndpointingDelay().toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void window(boolean speakingNow, float probability) {
            if (!speakingNow) {
                return;
            }
            VoiceSpeech current = speaking;
            boolean interrupt;
            synchronized (VoiceTransport.this) {
                interrupt = !bargedIn && current != null && current.isPlaying()
                        && System.nanoTime() - speechStartedNanos >= settings.minInterruption().toNanos();
                if (interrupt) {
                    bargedIn = true;
                }
            }
            if (interrupt && session.bargeIn()) {
                LOG.debugf("room %s: the caller barged in", session.room());
            }
        }
    }

    /** Speech recognition results. */
    private final class Recognition implements SpeechToText.Listener {
        @Override
        public void interim(String text, float confidence) {
            CallerSpeech line;
            synchronized (VoiceTransport.this) {
                if (segmentId == null) {
                    segmentId = UUID.randomUUID().toString();
                    turnStartMs = session.elapsedMs();
                }
                interim = text;
                line = new CallerSpeech(segmentId, (finals + " " + text).strip(), turnStartMs, session.elapsedMs(), confidence, language);
            }
            session.callerSpeaking(line);
            captions.caller(line.segmentId(), line.text(), false);
        }

        @Override
        public void finalResult(SpeechToText.Result result) {
            CallerSpeech line;
            synchronized (VoiceTransport.this) {
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
            }
            session.callerSpeaking(line);
            captions.caller(line.segmentId(), line.text(), false);
            maybeEndTurn();
        }

        @Override
        public void failed(Throwable error) {
            LOG.warnf("room %s: speech recognition failed: %s", session == null ? "?" : session.room(), error.getMessage());
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
            boolean settled = quietNanos >= settings.minEndpointingDelay().toNanos() - 1_000_000;
            boolean gaveUpWaiting = quietNanos >= settings.maxEndpointingDelay().toNanos() - 1_000_000;
            String text = finals.isEmpty() && gaveUpWaiting ? interim : finals.toString();
            if (!settled || text.isBlank() || (finals.isEmpty() && !gaveUpWaiting)) {
                return;
            }
            turn = new CallerSpeech(segmentId, text.strip(), turnStartMs, turnEndMs, confidence, language);
            vadEndNanos = speechEndedNanos;
            resetTurn();
        }
        commit(turn, vadEndNanos);
    }

    private void resetTurn() {
        segmentId = null;
        finals.setLength(0);
        interim = "";
        confidence = 1f;
        speechEndedNanos = 0;
        turnStartMs = -1;
    }

    private void commit(CallerSpeech turn, long vadEndNanos) {
        captions.caller(turn.segmentId(), turn.text(), true);
        turnCommittedNanos = vadEndNanos;
        committedAtNanos = System.nanoTime();
        firstTokenNanos = 0;
        firstAudioNanos = 0;
        try {
            session.callerSaid(turn).exceptionally(error -> {
                LOG.debugf("room %s: turn ended without an answer: %s", session.room(), error.getMessage());
                return null;
            });
        } catch (SessionNotActiveException e) {
            session.callerFinished(turn); // the call is ending: keep the words, do not answer them
        }
    }

    /**
     * The caller left (hung up): their last words are asked for and recorded, then the session ends.
     * Completes when the session has ended.
     */
    public CompletableFuture<Void> callerLeft() {
        return callerLeft(dev.switchboard.events.EndReason.CALLER_HANGUP);
    }

    /** The caller left for the given reason (hung up, did not answer, busy, removed...). */
    public CompletableFuture<Void> callerLeft(dev.switchboard.events.EndReason reason) {
        recognition.speechEnded();
        long deadline = System.nanoTime() + settings.lastWordsWait().toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (!finals.isEmpty() || segmentId == null) {
                    break;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        CallerSpeech last = null;
        synchronized (this) {
            String text = !finals.isEmpty() ? finals.toString() : interim;
            if (segmentId != null && !text.isBlank()) {
                last = new CallerSpeech(segmentId, text.strip(), turnStartMs, Math.max(turnEndMs, session.elapsedMs()), confidence, language);
            }
            resetTurn();
        }
        if (last != null) {
            captions.caller(last.segmentId(), last.text(), true);
            session.callerFinished(last);
        }
        return reason == dev.switchboard.events.EndReason.CALLER_HANGUP ? session.callerHungUp()
                : session.end(reason, new dev.switchboard.events.Issuer(dev.switchboard.events.IssuerKind.CALLER, callerIdentity, null), null);
    }

    // ------------------------------------------------------------------ agent audio out

    @Override
    public Speech startSpeech(boolean allowInterruptions) {
        String utteranceId = UUID.randomUUID().toString();
        VoiceSpeech speech = new VoiceSpeech(tts, output, new VoiceSpeech.SpeechListener() {
            @Override
            public void firstAudioWritten(VoiceSpeech s, long sample) {
                firstAudioNanos = System.nanoTime();
                WorkerThreads.start("turn-latency", () -> reportLatency(sample));
            }

            @Override
            public void sentenceStarted(VoiceSpeech s, String sentence) {
                captions.agentSentence(utteranceId, sentence);
            }

            @Override
            public void ended(VoiceSpeech s) {
                if (speaking == s) {
                    speaking = null;
                }
                captions.agentDone(utteranceId);
            }
        });
        // An uninterruptible utterance (a goodbye, Say with allowInterruptions=false) is never the barge-in target.
        if (allowInterruptions) {
            speaking = speech;
        }
        return new Speech() {
            @Override
            public void append(String text) {
                if (firstTokenNanos == 0 && !text.isEmpty()) {
                    firstTokenNanos = System.nanoTime();
                }
                speech.append(text);
            }

            @Override
            public void finish() {
                speech.finish();
            }

            @Override
            public void cancel() {
                speech.cancel();
            }

            @Override
            public CompletableFuture<Delivery> delivered() {
                return speech.delivered();
            }
        };
    }

    /** Measures the first turn response after a committed caller turn: when its first sample is played. */
    private void reportLatency(long firstSample) {
        long committed = turnCommittedNanos;
        if (committed == 0) {
            return; // spoken without a caller turn (Say, a reply to injected context)
        }
        turnCommittedNanos = 0;
        long token = firstTokenNanos;
        long audio = firstAudioNanos;
        long endOfTurn = committedAtNanos;
        try {
            output.awaitPlayed(firstSample + 1);
        } catch (InterruptedException e) {
            return;
        }
        long played = System.nanoTime();
        latencies.accept(new TurnLatency(millis(committed, endOfTurn), millis(committed, token), millis(committed, audio), millis(committed, played)));
    }

    private static long millis(long from, long to) {
        return to == 0 ? -1 : (to - from) / 1_000_000;
    }

    @Override
    public void interrupt() {
        VoiceSpeech current = speaking;
        if (current != null) {
            current.cancel();
        }
    }

    @Override
    public void leave() {
        left = true;
        if (recognition != null) {
            recognition.close();
        }
    }
}
