package dev.switchboard.worker.llm;

/** A chat-completion model. Implementations stream; {@code onText} sees the answer's text as it arrives. */
public interface LlmClient {

    /** Receives text deltas while the model streams its answer (used to start speaking before it is complete). */
    @FunctionalInterface
    interface TextListener {
        void onText(String delta);

        TextListener IGNORE = delta -> {
        };
    }

    /**
     * Runs one request to completion. Blocks the calling (virtual) thread; an interrupt cancels the request.
     *
     * @throws LlmException when the model cannot be reached or answers with an error
     */
    LlmResponse complete(LlmRequest request, TextListener onText) throws InterruptedException;

    /** A short name for logs, metrics and session metadata, e.g. {@code openai-compatible:gpt-4o-mini}. */
    String describe();
}
