package dev.switchboard.worker.llm;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A dialogue for the {@code scripted} LLM provider (demos without credentials). In YAML:
 *
 * <pre>
 * rules:
 *   - when: { userSaid: "order" }               # a regular expression, case-insensitive, on what the caller said since the agent last spoke
 *     say: "Let me check your order."
 *   - when: { contextHas: "shipped" }           # text anywhere in the context but the instructions (e.g. an injected message)
 *     say: "Good news: it shipped today."
 *   - when: { userSaid: "bye|that's all" }
 *     say: "Goodbye!"
 *     call: { tool: end_call, arguments: { reason: "caller is done" } }
 * greeting: "Hello, thanks for calling."       # the agent's opening line when it speaks first (none: the fallback)
 * fallback: "Sorry, could you say that again?"
 * </pre>
 *
 * The first rule whose conditions all hold answers; a rule answers once per call unless {@code once: false}.
 */
public record DialogueScript(List<Rule> rules, String greeting, String fallback) {

    public DialogueScript {
        rules = rules == null ? List.of() : List.copyOf(rules);
        fallback = fallback == null ? "Sorry, I did not catch that." : fallback;
    }

    public record Rule(Condition when, String say, ScriptedCall call, Boolean once) {
        public Rule {
            when = when == null ? new Condition(null, null) : when;
            say = say == null ? "" : say;
            once = once == null || once;
            if (say.isEmpty() && call == null) {
                throw new IllegalArgumentException("a rule must say something or call a tool");
            }
        }
    }

    public record Condition(String userSaid, String contextHas) {
        public boolean userSaidMatches(String text) {
            return userSaid == null || Pattern.compile(userSaid, Pattern.CASE_INSENSITIVE).matcher(text).find();
        }

        public boolean contextHasMatches(String text) {
            return contextHas == null || text.toLowerCase().contains(contextHas.toLowerCase());
        }
    }

    public record ScriptedCall(String tool, Map<String, Object> arguments) {
        public ScriptedCall {
            Objects.requireNonNull(tool, "call.tool");
            arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        }
    }

    public static DialogueScript parse(InputStream yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        DialogueScript script = mapper.readValue(yaml, DialogueScript.class);
        for (Rule rule : script.rules()) {
            if (rule.when().userSaid() != null) {
                Pattern.compile(rule.when().userSaid()); // fail at load time, not mid-call
            }
        }
        return script;
    }
}
