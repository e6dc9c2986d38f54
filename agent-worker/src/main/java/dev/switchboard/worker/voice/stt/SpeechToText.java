package dev.switchboard.worker.voice.stt;

import dev.switchboard.worker.voice.audio.MonoAudio;

/** A speech recognizer fed with the caller's 16 kHz mono audio. */
public interface SpeechToText {

    String describe();

    /** Opens a recognition stream for one caller; results go to the listener from the provider's threads. */
    Stream open(Listener listener);

    interface Stream extends AutoCloseable {
        /** The next piece of the caller's audio (16 kHz mono). */
        void push(MonoAudio frame);

        /** The VAD heard the caller start talking. */
        void speechStarted();

        /** The VAD heard the caller stop: finalize what was said (providers that transcribe per utterance do it now). */
        void speechEnded();

        @Override
        void close();
    }

    interface Listener {
        /** A guess that may still change. */
        void interim(String text, float confidence);

        /** A final result for a stretch of speech. */
        void finalResult(Result result);

        void failed(Throwable error);
    }

    /**
     * A final transcript of a stretch of speech; offsets are relative to the start of the stream.
     *
     * @param endOfTurn the provider also detected the end of the caller's turn (Deepgram's speech_final)
     */
    record Result(String text, float confidence, String language, long startMs, long endMs, boolean endOfTurn) {
    }
}
