package dev.switchboard.worker.tools;

import dev.switchboard.worker.llm.ToolSpec;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transfer destinations in both forms: one setting per destination (SWITCHBOARD_TRANSFER_DESTINATIONS_BILLING) and
 * all in one list (SWITCHBOARD_TRANSFER_DESTINATIONS=billing=tel:+15550199,support=sip:...).
 */
class TransferDestinationsTest {
    private static Map<String, String> destinations(Map<String, String> perName, String list) {
        return TransferCallTool.destinations(perName, Optional.ofNullable(list));
    }

    /** The worker's mapping read from these environment variables, refusing unknown properties under its prefix. */
    private static SmallRyeConfig fromEnvironment(Map<String, String> environment) {
        return new SmallRyeConfigBuilder().withMapping(TransferDestinations.class).withValidateUnknown(true)
                .withSources(new EnvConfigSource(environment, EnvConfigSource.ORDINAL)).build();
    }

    /** The destination names the model is offered by a tool made from these environment variables. */
    @SuppressWarnings("unchecked")
    private static List<String> offeredFromEnvironment(Map<String, String> environment) {
        SmallRyeConfig config = fromEnvironment(environment);
        var tool = new TransferCallTool(config.getConfigMapping(TransferDestinations.class),
                config.getOptionalValue(TransferDestinations.LIST, String.class));
        if (!tool.offered()) {
            return List.of();
        }
        ToolSpec spec = tool.spec();
        var properties = (Map<String, Map<String, Object>>) spec.parameters().get("properties");
        return (List<String>) properties.get("destination").get("enum");
    }

    @Test
    void aListNamesEachDestinationTrimmedAndInLowerCase() {
        assertThat(destinations(Map.of(), "billing=tel:+15550199,support=sip:support@pbx.example.com"))
                .containsExactly(Map.entry("billing", "tel:+15550199"), Map.entry("support", "sip:support@pbx.example.com"));
        assertThat(destinations(Map.of(), " Billing = tel:+15550199 , SUPPORT=sip:support@pbx.example.com;transport=tcp ,"))
                .as("spaces around names, targets and commas; a trailing comma; '=' in a SIP URI's parameters")
                .containsExactly(Map.entry("billing", "tel:+15550199"), Map.entry("support", "sip:support@pbx.example.com;transport=tcp"));
        assertThat(destinations(Map.of(), null)).isEmpty();
        assertThat(destinations(Map.of(), " , ")).isEmpty();
    }

    @Test
    void aPerNameSettingWinsOverTheListForTheSameName() {
        assertThat(destinations(Map.of("billing", "tel:+15550100", "sales", "tel:+15550111"),
                "billing=tel:+15550199,support=sip:support@pbx.example.com"))
                .containsExactly(Map.entry("billing", "tel:+15550100"), Map.entry("sales", "tel:+15550111"),
                        Map.entry("support", "sip:support@pbx.example.com"));
    }

    @Test
    void aMalformedEntryStopsTheWorkerNamingTheSettingAndTheEntry() {
        for (String list : List.of("billing", "billing:tel:+15550199", "=tel:+15550199", " =tel:+15550199", "billing=15550199",
                "billing=tel:15550199", "billing=", "billing=http://pbx.example.com")) {
            String entry = list.trim();
            assertThatThrownBy(() -> destinations(Map.of(), "support=sip:support@pbx.example.com," + list)).as(list)
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("switchboard.transfer.destinations (SWITCHBOARD_TRANSFER_DESTINATIONS)")
                    .hasMessageContaining("'" + entry + "'");
        }
        assertThatThrownBy(() -> destinations(Map.of(), "billing=tel:+15550199,Billing=tel:+15550100"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'Billing=tel:+15550100' names billing a second time");
        // an entry a per-name setting replaces must still be well formed
        assertThatThrownBy(() -> destinations(Map.of("billing", "tel:+15550100"), "billing=15550199"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'billing=15550199'");
        // and a per-name setting is named as before
        assertThatThrownBy(() -> destinations(Map.of("billing", "15550199"), null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("switchboard.transfer.destinations.billing: '15550199'");
    }

    /**
     * SmallRye Config with the worker's mapping and the environment variables as the operator sets them: the list
     * variable is not taken for the map's parent (no error, even refusing unknown properties; no map entry: the map
     * alone ignores it, which is why the tool reads it itself), the tool reads it, and both forms mix.
     */
    @Test
    void bothEnvironmentFormsReachTheTool() {
        assertThat(offeredFromEnvironment(Map.of("SWITCHBOARD_TRANSFER_DESTINATIONS",
                "billing=tel:+15550199,support=sip:support@pbx.example.com"))).containsExactly("billing", "support");
        assertThat(offeredFromEnvironment(Map.of("SWITCHBOARD_TRANSFER_DESTINATIONS_SALES", "tel:+15550111")))
                .containsExactly("sales");
        assertThat(offeredFromEnvironment(Map.of("SWITCHBOARD_TRANSFER_DESTINATIONS", "billing=tel:+15550199,sales=tel:+15550000",
                "SWITCHBOARD_TRANSFER_DESTINATIONS_SALES", "tel:+15550111"))).containsExactly("billing", "sales");
        assertThat(offeredFromEnvironment(Map.of())).isEmpty();

        SmallRyeConfig config = fromEnvironment(Map.of("SWITCHBOARD_TRANSFER_DESTINATIONS", "billing=tel:+15550199",
                "SWITCHBOARD_TRANSFER_DESTINATIONS_SALES", "tel:+15550111"));
        assertThat(config.getConfigMapping(TransferDestinations.class).destinations())
                .as("the map holds the per-name settings only").containsExactly(Map.entry("sales", "tel:+15550111"));
    }
}
