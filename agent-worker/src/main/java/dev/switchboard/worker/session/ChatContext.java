package dev.switchboard.worker.session;

import dev.switchboard.worker.llm.ChatMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * What the model sees of one session: its instructions and the conversation so far (the caller's turns, the
 * agent's answers as heard, tool calls and their results, injected context). Safe to use from any thread; every
 * change is seen by the next {@link #messages()}.
 */
final class ChatContext {
    private String instructions;
    /** What the model knows about the call itself; kept apart so that new instructions do not make it forget. */
    private String callFacts;
    private final List<ChatMessage> history = new ArrayList<>();

    ChatContext(String instructions) {
        this.instructions = instructions;
    }

    synchronized void add(ChatMessage message) {
        history.add(message);
    }

    /** Tells the model about the call (direction, numbers, what the dial attached), after its instructions. */
    synchronized void knowTheCall(String facts) {
        this.callFacts = facts;
    }

    synchronized void replaceInstructions(String instructions) {
        this.instructions = instructions;
    }

    /** Adds to the instructions, as a paragraph of their own. */
    synchronized void extendInstructions(String more) {
        this.instructions = instructions + "\n\n" + more;
    }

    /** A copy, as the next LLM request sends it: the instructions first, then the history. */
    synchronized List<ChatMessage> messages() {
        List<ChatMessage> messages = new ArrayList<>(history.size() + 1);
        messages.add(new ChatMessage.System(callFacts == null ? instructions : instructions + "\n\n" + callFacts));
        messages.addAll(history);
        return messages;
    }
}
