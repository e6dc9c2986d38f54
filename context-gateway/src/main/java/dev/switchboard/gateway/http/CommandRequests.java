package dev.switchboard.gateway.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Say;
import dev.switchboard.events.UpdateInstructions;
import dev.switchboard.gateway.config.GatewayConfig;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Map;

/** The request bodies of the command endpoints, and how each becomes a validated command payload. */
@Singleton
public class CommandRequests {
    static final int MAX_LABEL_LENGTH = 200;
    static final int MAX_REASON_LENGTH = 1000;
    private static final Map<String, ContextRole> ROLES = Violations.symbols("system", ContextRole.SYSTEM, "user", ContextRole.USER);
    private static final Map<String, InstructionsMode> MODES =
            Violations.symbols("replace", InstructionsMode.REPLACE, "append", InstructionsMode.APPEND);

    @Schema(name = "InjectContextRequest", description = "A message to append to the agent's chat context")
    public record InjectContextRequest(
            @Schema(enumeration = {"system", "user"}, required = true) String role,
            @Schema(required = true, description = "The message; at most switchboard.gateway.commands.max-text-length characters") String text,
            @Schema(description = "Make the agent answer now instead of waiting for the caller", defaultValue = "false") Boolean respond,
            @Schema(description = "Where the message came from (crm, supervisor), shown in the transcript") String label) {
    }

    @Schema(name = "SayRequest", description = "Text for the agent to speak now")
    public record SayRequest(
            @Schema(required = true) String text,
            @Schema(defaultValue = "true") Boolean allowInterruptions,
            @Schema(defaultValue = "true", description = "Record what was said in the chat context") Boolean addToChatContext) {
    }

    @Schema(name = "InterruptRequest", description = "Optional: why the agent is interrupted")
    public record InterruptRequest(String reason) {
    }

    @Schema(name = "InstructionsRequest", description = "New instructions (system prompt) for the rest of the call")
    public record InstructionsRequest(
            @Schema(required = true) String instructions,
            @Schema(enumeration = {"replace", "append"}, defaultValue = "replace") String mode) {
    }

    @Schema(name = "HangupRequest", description = "End the call: by default the agent says the goodbye first")
    public record HangupRequest(
            @Schema(description = "Why the call is ended, kept with the hang-up") String reason,
            @Schema(description = "What the agent says before it hangs up (not with immediate)") String goodbye,
            @Schema(defaultValue = "false", description = "Hang up now through the call controller, without a goodbye")
            @JsonProperty("immediate") Boolean immediate) {

        public boolean isImmediate() {
            return Boolean.TRUE.equals(immediate);
        }
    }

    private final GatewayConfig.Commands limits;

    CommandRequests(GatewayConfig config) {
        this.limits = config.commands();
    }

    public InjectContext injectContext(InjectContextRequest request) {
        Violations violations = new Violations();
        ContextRole role = violations.choice("role", request.role(), ROLES, null).orElse(null);
        violations.text("text", request.text(), true, limits.maxTextLength())
                .text("label", request.label(), false, MAX_LABEL_LENGTH)
                .throwIfAny();
        return InjectContext.newBuilder()
                .setRole(role)
                .setText(request.text())
                .setRespond(Boolean.TRUE.equals(request.respond()))
                .setLabel(request.label())
                .build();
    }

    public Say say(SayRequest request) {
        new Violations().text("text", request.text(), true, limits.maxTextLength()).throwIfAny();
        return Say.newBuilder()
                .setText(request.text())
                .setAllowInterruptions(!Boolean.FALSE.equals(request.allowInterruptions()))
                .setAddToChatContext(!Boolean.FALSE.equals(request.addToChatContext()))
                .build();
    }

    public Interrupt interrupt(InterruptRequest request) {
        String reason = request == null ? null : request.reason();
        new Violations().text("reason", reason, false, MAX_REASON_LENGTH).throwIfAny();
        return Interrupt.newBuilder().setReason(reason).build();
    }

    public UpdateInstructions instructions(InstructionsRequest request) {
        Violations violations = new Violations();
        violations.text("instructions", request.instructions(), true, limits.maxInstructionsLength());
        InstructionsMode mode = violations.choice("mode", request.mode(), MODES, InstructionsMode.REPLACE).orElse(null);
        violations.throwIfAny();
        return UpdateInstructions.newBuilder().setInstructions(request.instructions()).setMode(mode).build();
    }

    /** Validates a hang-up; an immediate one has no goodbye to say. */
    public HangupRequest hangup(HangupRequest request) {
        HangupRequest hangup = request == null ? new HangupRequest(null, null, false) : request;
        Violations violations = new Violations()
                .text("reason", hangup.reason(), false, MAX_REASON_LENGTH)
                .text("goodbye", hangup.goodbye(), false, limits.maxTextLength());
        if (hangup.isImmediate() && hangup.goodbye() != null) {
            violations.add("goodbye cannot be combined with immediate: an immediate hang-up says nothing "
                    + "(leave out goodbye, or leave out immediate to have the agent say it first)");
        }
        violations.throwIfAny();
        return hangup;
    }

    public EndSession endSession(HangupRequest hangup) {
        return EndSession.newBuilder().setReason(hangup.reason()).setGoodbye(hangup.goodbye()).build();
    }
}
