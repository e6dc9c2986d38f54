package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/**
 * The {@code send_dtmf} tool: the model presses keys on the phone line, to walk an IVR menu ("press 1 for sales") or
 * enter a number it was asked for. Offered on phone calls unless {@code switchboard.tools.send-dtmf.enabled=false}.
 */
@Singleton
public final class SendDtmfTool implements AgentTool {
    public static final String NAME = "send_dtmf";

    private final boolean enabled;
    private final ToolSpec spec = new ToolSpec(NAME,
            "Press keys on the phone keypad (DTMF tones), for example to choose an option in an automated phone menu"
                    + " or to enter a number you were asked to type. Only on phone calls.",
            Map.of("type", "object",
                    "properties", Map.of("digits", Map.of("type", "string",
                            "description", "The keys to press in order: 0-9, *, #, A-D; w waits half a second. Example: 1w2#")),
                    "required", List.of("digits")));

    SendDtmfTool(@ConfigProperty(name = "switchboard.tools.send-dtmf.enabled", defaultValue = "true") boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean offered() {
        return enabled;
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
        return context.sendDtmf(call.argument("digits"));
    }
}
