package dev.switchboard.worker.voice;

/**
 * Live captions of a voice call, for front ends that show them while the call runs (LiveKit's
 * {@code lk.transcription} text streams). The caller's lines come from speech recognition; the agent's follow
 * playout, one sentence at a time as its audio starts, so captions never run ahead of what is heard.
 */
public interface Captions {

    /** What the caller is saying now ({@code isFinal} false) or said ({@code isFinal} true). */
    void caller(String segmentId, String text, boolean isFinal);

    /** A sentence of the agent's utterance starts playing. */
    void agentSentence(String utteranceId, String sentence);

    /** The agent's utterance is over (played out or cut off). */
    void agentDone(String utteranceId);

    Captions NONE = new Captions() {
        @Override
        public void caller(String segmentId, String text, boolean isFinal) {
        }

        @Override
        public void agentSentence(String utteranceId, String sentence) {
        }

        @Override
        public void agentDone(String utteranceId) {
        }
    };
}
