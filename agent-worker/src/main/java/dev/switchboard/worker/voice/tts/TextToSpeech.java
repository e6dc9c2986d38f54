package dev.switchboard.worker.voice.tts;

import dev.switchboard.worker.voice.audio.MonoAudio;

import java.util.concurrent.CompletableFuture;

/** A speech synthesizer. Audio comes out at {@link #sampleRate()}, mono 16-bit, sentence by sentence, in order. */
public interface TextToSpeech {

    String describe();

    /** The rate of the frames handed to the sink. */
    int sampleRate();

    /** Starts one utterance; its audio goes to the sink as it is synthesized. */
    Utterance open(AudioSink sink);

    /** Receives synthesized audio with the index of the sentence it says. */
    @FunctionalInterface
    interface AudioSink {
        void accept(int sentence, MonoAudio frame);
    }

    /** One utterance being synthesized. */
    interface Utterance {
        /** The next sentence; returns its index. */
        int say(String sentence);

        /** No more sentences: {@link #done()} completes after the last audio was handed to the sink. */
        void finish();

        /** Stops at once: no more audio reaches the sink. */
        void cancel();

        CompletableFuture<Void> done();
    }
}
