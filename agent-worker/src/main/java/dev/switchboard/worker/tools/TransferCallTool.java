package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.configuration.ConfigurationException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The {@code transfer_call} tool: the model hands the phone caller to one of the configured destinations (a cold
 * transfer). The agent says the announcement, then the call controller transfers the SIP caller; once the target took
 * the call the session ends (TRANSFERRED). Offered only on phone calls and when destinations are configured
 * ({@link TransferDestinations}: one setting per destination, or all in one list).
 *
 * <p>Made before any other start-up work, as the token settings are checked ({@code AuthSettings}): it needs only its
 * settings, and a malformed destination must stop the worker at once, saying which, not after it reached the broker.
 */
@Singleton
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
public final class TransferCallTool implements AgentTool {
    public static final String NAME = "transfer_call";
    private static final Pattern TARGET = Pattern.compile("tel:\\+[1-9][0-9]{1,14}|sips?:\\S{1,250}");

    private final Map<String, String> destinations;
    private final ToolSpec spec;

    @Inject
    TransferCallTool(TransferDestinations configured, @ConfigProperty(name = TransferDestinations.LIST) Optional<String> list) {
        this.destinations = destinations(configured.destinations(), list);
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

    /**
     * The destinations of both forms: the per-name settings ({@code switchboard.transfer.destinations.<name>}) and the
     * entries of the list ({@code switchboard.transfer.destinations=name=target,...}; names trimmed and in lower case,
     * blank entries skipped). A per-name setting wins over a list entry of the same name.
     *
     * @throws ConfigurationException naming the setting and the entry when an entry is not {@code name=target}, names
     *                                a destination twice, or a target is not tel:+E.164 or a sip: URI (Quarkus reports
     *                                it as its message alone)
     */
    static Map<String, String> destinations(Map<String, String> perName, Optional<String> list) {
        Map<String, String> destinations = new TreeMap<>();
        String setting = TransferDestinations.LIST + " (SWITCHBOARD_TRANSFER_DESTINATIONS)";
        for (String entry : list.map(l -> l.split(",", -1)).orElse(new String[0])) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            String name = equals < 0 ? "" : entry.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new ConfigurationException(setting + ": the entry '" + entry.trim()
                        + "' is not name=target (e.g. billing=tel:+15550199)");
            }
            String target = entry.substring(equals + 1).trim();
            checkTarget(setting + ": the entry '" + entry.trim() + "'", target);
            if (destinations.put(name, target) != null) {
                throw new ConfigurationException(setting + ": the entry '" + entry.trim() + "' names " + name + " a second time");
            }
        }
        perName.forEach((name, target) -> {
            checkTarget(TransferDestinations.LIST + "." + name, target);
            destinations.put(name, target);
        });
        return destinations;
    }

    private static void checkTarget(String what, String target) {
        if (!TARGET.matcher(target).matches()) {
            throw new ConfigurationException(what + ": '" + target + "' is not tel: and an E.164 number (tel:+15550199) or a sip: URI");
        }
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
