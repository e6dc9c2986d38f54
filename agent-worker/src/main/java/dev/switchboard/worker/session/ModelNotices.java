package dev.switchboard.worker.session;

import dev.switchboard.events.Issuer;
import dev.switchboard.worker.llm.ChatMessage;

/**
 * How a part of the session tells the model something it must hear of outside a caller's words (a keypad entry, a
 * failed transfer), and has it answer. The session implements it; the parts see nothing else of the conversation.
 */
interface ModelNotices {
    /**
     * A SYSTEM line in the transcript and a message in the chat context (a turn of the caller's, for their keypad
     * entry), if the session is still active. Returns whether it was.
     */
    boolean tell(String line, Issuer by, String commandId, String label, ChatMessage toModel, boolean callerTurn);

    /** The model answers the conversation as it stands, after what the agent is saying now; a failure is logged. */
    void answerNow(String task, String what);
}
