package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code transfer_call} tool: the model hands the phone caller to one of the configured destinations (a cold
 * transfer). The agent says the announcement, then the call controller transfers the SIP caller; once the target took
 * the call the session ends (TRANSFERRED). Offered only on phone calls and when destinations are configured
 * ({@link TransferDestinations}).
 */
@Singleton
public final class TransferCallTool implements AgentTool {
    public static final String NAME = "transfer_call";
    private static final Pattern TARGET = Pattern.compile("tel:\\+[1-9][0-9]{1,14}|sips?:\\S{1,250}");

    private final Map<String, String> destinations;
    private final ToolSpec spec;

    TransferCallTool(TransferDestinations configured) {
        this.destinations = new TreeMap<>(configured.destinations());
        destinations.forEach((name, target) -> {
            if (!TARGET.matcher(target).matches()) {
                throw new IllegalStateException("switchboard.transfer.destinations." + name + " = '" + target
                        + "' is not tel: and an E.164 number (tel:+15550199) or a sip: URI");
            }
        });
        this.spec = new ToolSpec(NAME,
                "Transfer the caller to a person or department when they ask for one or you cannot help. Tell them first"
                        + " (or pass it as 'announcement'). After the transfer you are no longer on the call.",
                Map.of("type", "object",
                        "properties", Map.of(
                                "destination", Map.of("type", "string", "enum", List.copyOf(destinations.keySet()),
                                        "description", "Where to transfer the caller."),
                                "announcement", Map.of("type", "string", "description", "What to say before transferring, if not said already.")),
                        "required", List.of("destination")));
    }

    @Override
    public boolean offered() {
        return !destinations.isEmpty();
    }

    @Override
    public boolean needsPhoneLine() {
        return true;
    }

    @Override
    public ToolSpec spec() {
        return spec;
    }

    @Override
    public String execute(ToolCall call, ToolContext context, boolean spokeThisRound) throws InterruptedException {
        String destination = call.argument("destination");
        String target = destination == null ? null : destinations.get(destination);
        if (target == null) {
            return "There is no destination named " + destination + ". You may transfer to: " + String.join(", ", destinations.keySet()) + ".";
        }
        boolean requested = context.transferCall(target, spokeThisRound ? null : call.argument("announcement"));
        return requested ? "The transfer to " + destination + " has been requested. Do not say anything else."
                : "The call is already ending; it cannot be transferred.";
    }
}
