package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolCall;
import dev.switchboard.worker.llm.ToolSpec;
import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tools reach the call only through their context; the toolbox finds them by name. */
class ToolboxTest {
    /** A call that records what the tools asked of it. */
    private static final class RecordingContext implements ToolContext {
        final List<String> hangUps = new ArrayList<>();
        final List<String> transfers = new ArrayList<>();
        final List<String> tones = new ArrayList<>();
        boolean ending;
        boolean phoneLine = true;

        @Override
        public String room() {
            return "room-1";
        }

        @Override
        public boolean onPhoneLine() {
            return phoneLine;
        }

        @Override
        public boolean endCall(String reason, String goodbye) {
            if (ending) {
                return false;
            }
            ending = true;
            hangUps.add(reason + "|" + goodbye);
            return true;
        }

        @Override
        public boolean transferCall(String target, String announcement) {
            if (ending) {
                return false;
            }
            transfers.add(target + "|" + announcement);
            return true;
        }

        @Override
        public String sendDtmf(String digits) {
            tones.add(digits);
            return "sent " + digits;
        }
    }

    private static TransferCallTool transferTool(Map<String, String> destinations) {
        return new TransferCallTool(() -> destinations, Optional.empty());
    }

    private record NamedTool(String name) implements AgentTool {
        @Override
        public ToolSpec spec() {
            return new ToolSpec(name, "a tool", Map.of("type", "object"));
        }

        @Override
        public String execute(ToolCall call, ToolContext context, boolean spokeThisRound) {
            return name + " ran";
        }
    }

    private final RecordingContext call = new RecordingContext();

    @Test
    void theModelSeesEveryToolInAStableOrder() {
        var toolbox = Toolbox.of(new NamedTool("transfer_call"), new EndCallTool(), new NamedTool("send_dtmf"));

        assertThat(toolbox.specs(call)).extracting(ToolSpec::name).containsExactly("end_call", "send_dtmf", "transfer_call");
    }

    @Test
    void sendDtmfIsOfferedUnlessTurnedOffAndPassesTheModelsDigitsToTheCall() throws Exception {
        assertThat(Toolbox.of(new SendDtmfTool(false), new EndCallTool()).specs(call)).extracting(ToolSpec::name).containsExactly("end_call");
        var toolbox = Toolbox.of(new SendDtmfTool(true));
        assertThat(toolbox.specs(call)).extracting(ToolSpec::name).containsExactly("send_dtmf");

        String answer = toolbox.execute(new ToolCall("c1", "send_dtmf", Map.of("digits", "1w2#"), "{\"digits\":\"1w2#\"}"), call, false);

        assertThat(answer).isEqualTo("sent 1w2#");
        assertThat(call.tones).containsExactly("1w2#");
    }

    @Test
    void transferCallIsOfferedOnlyWithDestinationsAndTransfersOnlyToThem() throws Exception {
        assertThat(Toolbox.of(transferTool(Map.of()), new EndCallTool()).specs(call)).extracting(ToolSpec::name).containsExactly("end_call");
        var toolbox = Toolbox.of(transferTool(Map.of("billing", "tel:+15550199", "sales", "sip:sales@pbx.example.com")));
        assertThat(toolbox.specs(call)).extracting(ToolSpec::name).containsExactly("transfer_call");
        assertThat(toolbox.specs(call).getFirst().parameters().toString()).contains("billing", "sales").doesNotContain("+15550199");

        String refused = toolbox.execute(new ToolCall("c1", "transfer_call", Map.of("destination", "tel:+19005550000"), "{}"), call, false);
        assertThat(refused).contains("no destination named").contains("billing, sales");
        assertThat(call.transfers).as("the model cannot dial a number of its own").isEmpty();

        String done = toolbox.execute(new ToolCall("c2", "transfer_call", Map.of("destination", "billing", "announcement", "One moment."), "{}"),
                call, false);
        assertThat(done).contains("requested");
        assertThat(call.transfers).containsExactly("tel:+15550199|One moment.");
        assertThatThrownBy(() -> transferTool(Map.of("x", "15550199"))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("switchboard.transfer.destinations.x");
    }

    @Test
    void aCallWithoutAPhoneLineIsNotOfferedThePhoneToolsAndCannotRunThem() throws Exception {
        var toolbox = Toolbox.of(new EndCallTool(), new SendDtmfTool(true), transferTool(Map.of("billing", "tel:+15550199")));
        assertThat(toolbox.specs(call)).extracting(ToolSpec::name).containsExactly("end_call", "send_dtmf", "transfer_call");

        call.phoneLine = false; // a web caller
        assertThat(toolbox.specs(call)).extracting(ToolSpec::name).containsExactly("end_call");
        String tones = toolbox.execute(new ToolCall("c1", "send_dtmf", Map.of("digits", "1"), "{\"digits\":\"1\"}"), call, false);
        String transfer = toolbox.execute(new ToolCall("c2", "transfer_call", Map.of("destination", "billing"), "{}"), call, false);

        assertThat(tones).isEqualTo("There is no tool named send_dtmf.");
        assertThat(transfer).isEqualTo("There is no tool named transfer_call.");
        assertThat(call.tones).isEmpty();
        assertThat(call.transfers).isEmpty();
    }

    @Test
    void twoToolsWithOneNameAreRefused() {
        assertThatThrownBy(() -> Toolbox.of(new NamedTool("x"), new NamedTool("x")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("two tools are named x");
    }

    @Test
    void anUnknownToolIsToldToTheModelAndDoesNothing() throws Exception {
        String answer = Toolbox.of(new EndCallTool()).execute(new ToolCall("c1", "fly", Map.of(), "{}"), call, false);

        assertThat(answer).isEqualTo("There is no tool named fly.");
        assertThat(call.hangUps).isEmpty();
    }

    @Test
    void endCallHangsUpOnceAndSaysTheGoodbyeOnlyWhenNothingWasSaidYet() throws Exception {
        var toolbox = Toolbox.of(new EndCallTool());
        var hangUp = new ToolCall("c1", "end_call", Map.of("reason", "done", "goodbye", "Bye!"), "{}");

        String first = toolbox.execute(hangUp, call, true);
        String again = toolbox.execute(hangUp, call, false);

        assertThat(call.hangUps).containsExactly("done|null");
        assertThat(first).isEqualTo("The call has been ended. Do not say anything else.");
        assertThat(again).isEqualTo("The call is already ending.");
    }
}
