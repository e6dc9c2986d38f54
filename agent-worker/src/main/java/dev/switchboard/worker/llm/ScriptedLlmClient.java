package dev.switchboard.worker.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.List;
import java.util.UUID;

/**
 * The {@code scripted} provider: answers from a {@link DialogueScript} instead of a model, for demos and trying
 * the platform without credentials. Stateless: whether a rule was used is read from the chat context itself.
 */
public final class ScriptedLlmClient implements LlmClient {
    private final DialogueScript script;
    private final String source;
    private final ObjectMapper json = new ObjectMapper();

    public ScriptedLlmClient(DialogueScript script, String source) {
        this.script = script;
        this.source = source;
    }

    @Override
    public String describe() {
        return "scripted:" + source;
    }

    @Override
    public LlmResponse complete(LlmRequest request, TextListener onText) {
        List<ChatMessage> messages = request.messages();
        boolean opening = messages.size() == 1; // only the instructions: the agent speaks first
        if (opening && script.greeting() != null) {
            onText.onText(script.greeting());
            return new LlmResponse(script.greeting(), List.of(), 0, 0);
        }
        String newCallerSpeech = callerSpeechSinceAgentLastSpoke(messages);
        String context = contextBeyondInstructions(messages);
        for (DialogueScript.Rule rule : script.rules()) {
            boolean used = rule.once() && messages.stream().anyMatch(m -> producedBy(m, rule));
            if (!used && rule.when().userSaidMatches(newCallerSpeech) && rule.when().contextHasMatches(context)
                    && (rule.when().userSaid() == null || !newCallerSpeech.isEmpty())) {
                return answer(rule, onText);
            }
        }
        onText.onText(script.fallback());
        return new LlmResponse(script.fallback(), List.of(), 0, 0);
    }

    private LlmResponse answer(DialogueScript.Rule rule, TextListener onText) {
        if (!rule.say().isEmpty()) {
            onText.onText(rule.say());
        }
        List<ToolCall> calls = rule.call() == null ? List.of()
                : List.of(new ToolCall("call_" + UUID.randomUUID(), rule.call().tool(), rule.call().arguments(), toJson(rule)));
        return new LlmResponse(rule.say(), calls, 0, 0);
    }

    private static boolean producedBy(ChatMessage message, DialogueScript.Rule rule) {
        if (!(message instanceof ChatMessage.Assistant assistant)) {
            return false;
        }
        if (!rule.say().isEmpty()) {
            return assistant.text().equals(rule.say());
        }
        return assistant.toolCalls().stream().anyMatch(c -> c.name().equals(rule.call().tool()));
    }

    private static String callerSpeechSinceAgentLastSpoke(List<ChatMessage> messages) {
        StringBuilder speech = new StringBuilder();
        for (int i = messages.size() - 1; i >= 0 && !(messages.get(i) instanceof ChatMessage.Assistant); i--) {
            if (messages.get(i) instanceof ChatMessage.User user) {
                speech.insert(0, user.text() + " ");
            }
        }
        return speech.toString().trim();
    }

    private static String contextBeyondInstructions(List<ChatMessage> messages) {
        StringBuilder context = new StringBuilder();
        for (int i = 1; i < messages.size(); i++) {
            switch (messages.get(i)) {
                case ChatMessage.System s -> context.append(s.text()).append('\n');
                case ChatMessage.User u -> context.append(u.text()).append('\n');
                default -> {
                }
            }
        }
        return context.toString();
    }

    private String toJson(DialogueScript.Rule rule) {
        try {
            return json.writeValueAsString(rule.call().arguments());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
