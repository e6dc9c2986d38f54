package dev.switchboard.worker.voice;

import dev.switchboard.worker.session.CallTransport;
import dev.switchboard.worker.voice.tts.TextToSpeech;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Plays the agent's speech on an audio call: each utterance is synthesized a sentence at a time and played on the
 * output ({@link VoiceSpeech}), with captions that follow playout. The interruptible utterance playing now is the
 * one barge-in and Interrupt stop.
 */
final class SpeechPlayer {
    private final TextToSpeech tts;
    private final AudioOutput output;
    private final TurnLatencyMeter latency;
    private volatile Captions captions = Captions.NONE;
    private volatile VoiceSpeech interruptible;

    SpeechPlayer(TextToSpeech tts, AudioOutput output, TurnLatencyMeter latency) {
        this.tts = tts;
        this.output = output;
        this.latency = latency;
    }

    void captions(Captions captions) {
        this.captions = captions;
    }

    /** Starts an utterance whose text arrives in pieces; it plays as soon as its first sentence is synthesized. */
    CallTransport.Speech start(boolean allowInterruptions) {
        String utteranceId = UUID.randomUUID().toString();
        VoiceSpeech speech = new VoiceSpeech(tts, output, new VoiceSpeech.SpeechListener() {
            @Override
            public void firstAudioWritten(VoiceSpeech s, long sample) {
                latency.firstAudioWritten(sample);
            }

            @Override
            public void sentenceStarted(VoiceSpeech s, String sentence) {
                captions.agentSentence(utteranceId, sentence);
            }

            @Override
            public void ended(VoiceSpeech s) {
                if (interruptible == s) {
                    interruptible = null;
                }
                captions.agentDone(utteranceId);
            }
        });
        // An uninterruptible utterance (a goodbye, Say with allowInterruptions=false) is never the barge-in target.
        if (allowInterruptions) {
            interruptible = speech;
        }
        return new CallTransport.Speech() {
            @Override
            public void append(String text) {
                latency.textArrived(text);
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
            public CompletableFuture<CallTransport.Delivery> delivered() {
                return speech.delivered();
            }
        };
    }

    /** Whether an utterance the caller may interrupt is playing. */
    boolean isSpeaking() {
        VoiceSpeech current = interruptible;
        return current != null && current.isPlaying();
    }

    /** Stops the interruptible utterance now; its delivery says what the caller heard. */
    void interrupt() {
        VoiceSpeech current = interruptible;
        if (current != null) {
            current.cancel();
        }
    }
}
