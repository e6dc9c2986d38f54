package dev.switchboard.gateway.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.events.ContextRole;
import dev.switchboard.events.EndSession;
import dev.switchboard.events.InjectContext;
import dev.switchboard.events.InstructionsMode;
import dev.switchboard.events.Interrupt;
import dev.switchboard.events.Say;
import dev.switchboard.events.SendDtmf;
import dev.switchboard.events.UpdateInstructions;
import dev.switchboard.gateway.api.BoundedText.Limit;
import dev.switchboard.kit.problem.ProblemException;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.Locale;

/**
 * The request bodies of the command endpoints, validated with Bean Validation before a resource sees them, and how
 * each becomes a command payload.
 */
public final class CommandRequests {
    private CommandRequests() {
    }

    @Schema(name = "InjectContextRequest", description = "A message to append to the agent's chat context")
    public record InjectContextRequest(
            @Schema(enumeration = {"system", "user"}, required = true) @Choice(value = {"system", "user"}, required = true) String role,
            @Schema(required = true, description = "The message; at most switchboard.gateway.commands.max-text-length characters")
            @BoundedText(value = Limit.TEXT, required = true) String text,
            @Schema(description = "Make the agent answer now instead of waiting for the caller", defaultValue = "false") Boolean respond,
            @Schema(description = "Where the message came from (crm, supervisor), kept with the line as its label (the JSON transcript has it)")
            @BoundedText(Limit.LABEL) String label) {

        static final String EXAMPLE = "{\"role\": \"system\", \"text\": \"...\"}";

        InjectContext toPayload() {
            return InjectContext.newBuilder()
                    .setRole(ContextRole.valueOf(role.toUpperCase(Locale.ROOT)))
                    .setText(text)
                    .setRespond(Boolean.TRUE.equals(respond))
                    .setLabel(label)
                    .build();
        }
    }

    @Schema(name = "SayRequest", description = "Text for the agent to speak now")
    public record SayRequest(
            @Schema(required = true) @BoundedText(value = Limit.TEXT, required = true) String text,
            @Schema(defaultValue = "true") Boolean allowInterruptions,
            @Schema(defaultValue = "true", description = "Record what was said in the chat context") Boolean addToChatContext) {

        static final String EXAMPLE = "{\"text\": \"...\"}";

        Say toPayload() {
            return Say.newBuilder()
                    .setText(text)
                    .setAllowInterruptions(!Boolean.FALSE.equals(allowInterruptions))
                    .setAddToChatContext(!Boolean.FALSE.equals(addToChatContext))
                    .build();
        }
    }

    @Schema(name = "InterruptRequest", description = "Optional: why the agent is interrupted")
    public record InterruptRequest(@BoundedText(Limit.REASON) String reason) {

        static Interrupt toPayload(InterruptRequest request) {
            return Interrupt.newBuilder().setReason(request == null ? null : request.reason()).build();
        }
    }

    @Schema(name = "InstructionsRequest", description = "New instructions (system prompt) for the rest of the call")
    public record InstructionsRequest(
            @Schema(required = true) @BoundedText(value = Limit.INSTRUCTIONS, required = true) String instructions,
            @Schema(enumeration = {"replace", "append"}, defaultValue = "replace") @Choice({"replace", "append"}) String mode) {

        static final String EXAMPLE = "{\"instructions\": \"...\", \"mode\": \"replace\"}";

        UpdateInstructions toPayload() {
            InstructionsMode chosen = mode == null ? InstructionsMode.REPLACE : InstructionsMode.valueOf(mode.toUpperCase(Locale.ROOT));
            return UpdateInstructions.newBuilder().setInstructions(instructions).setMode(chosen).build();
        }
    }

    @ImmediateWithoutGoodbye
    @Schema(name = "HangupRequest", description = "End the call once the agent has finished what it is saying: with a goodbye, the agent says it"
            + " first; without one, it says nothing more; with immediate, at once through the call controller")
    public record HangupRequest(
            @Schema(description = "Why the call is ended, kept with the hang-up") @BoundedText(Limit.REASON) String reason,
            @Schema(description = "What the agent says before it hangs up (not with immediate)") @BoundedText(Limit.TEXT) String goodbye,
            @Schema(defaultValue = "false", description = "Hang up now through the call controller, without a goodbye")
            @JsonProperty("immediate") Boolean immediate) {

        static final HangupRequest DEFAULT = new HangupRequest(null, null, false);

        public boolean isImmediate() {
            return Boolean.TRUE.equals(immediate);
        }

        EndSession toPayload() {
            return EndSession.newBuilder().setReason(reason).setGoodbye(goodbye).build();
        }
    }

    /** A body the endpoint cannot do without; the example shows what was expected. */
    static <T> T required(T body, String example) {
        if (body == null) {
            throw ProblemException.invalid("a JSON body is required, e.g. " + example);
        }
        return body;
    }

    @Schema(name = "DtmfRequest", description = "Keypad tones the agent sends to the caller's phone line")
    public record DtmfRequest(
            @Schema(required = true, description = "The keys in order: 0-9, *, #, A-D; w waits half a second (spaces and dashes are ignored)",
                    example = "1234#")
            @NotNull(message = "is required, e.g. \"1234#\"")
            @Pattern(regexp = "[0-9*#A-Da-dwW \\-]*", message = "may only hold 0-9, *, #, A-D and w (a half-second pause)")
            String digits) {

        static final String EXAMPLE = "{\"digits\": \"1234#\"}";

        SendDtmf toPayload() {
            String keys = digits.replaceAll("[\\s-]", "");
            if (keys.isEmpty() || keys.length() > 64) {
                throw ProblemException.invalid(
                        "digits must hold 1 to 64 keys (spaces and dashes aside), not " + keys.length());
            }
            if (keys.chars().allMatch(c -> c == 'w' || c == 'W')) {
                throw ProblemException.invalid("digits must press at least one key; w only pauses");
            }
            return SendDtmf.newBuilder().setDigits(keys).build();
        }
    }
}
