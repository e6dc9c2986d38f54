package dev.switchboard.worker.voice.tts;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts streamed LLM text into sentences for speech synthesis, so the first sentence is spoken while the rest is
 * still being generated. A sentence ends at . ! ? or a newline followed by white space, once it has at least
 * {@link #MIN_CHARS} characters (so "Dr." or "1." do not make fragments).
 */
public final class SentenceChunker {
    static final int MIN_CHARS = 12;

    private final StringBuilder pending = new StringBuilder();

    /** Adds streamed text; returns the sentences it completed, in order. */
    public List<String> append(String text) {
        pending.append(text);
        List<String> sentences = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < pending.length() - 1; i++) {
            char c = pending.charAt(i);
            boolean end = (c == '.' || c == '!' || c == '?' || c == '\n') && Character.isWhitespace(pending.charAt(i + 1));
            if (end && i + 1 - start >= MIN_CHARS) {
                String sentence = pending.substring(start, i + 1).strip();
                if (!sentence.isEmpty()) {
                    sentences.add(sentence);
                }
                start = i + 1;
            }
        }
        pending.delete(0, start);
        return sentences;
    }

    /** The text after the last complete sentence, when the stream ends. */
    public String flush() {
        String rest = pending.toString().strip();
        pending.setLength(0);
        return rest;
    }
}
