package dev.switchboard.transcripts.store;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SearchConfigsTest {
    @Test
    void theDefaultIsALanguageOrAConfiguration() {
        assertThat(new SearchConfigs("de-AT").defaultConfig()).isEqualTo("german");
        assertThat(new SearchConfigs("english").defaultConfig()).isEqualTo("english");
        assertThat(new SearchConfigs("simple").defaultConfig()).isEqualTo("simple");
    }

    /** Made from the setting at start: a ConfigurationException, which Quarkus prints as one line, naming the setting. */
    @Test
    void anUnknownDefaultStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> new SearchConfigs("klingon"))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("switchboard.transcripts.search.default-config (SWITCHBOARD_TRANSCRIPTS_SEARCH_DEFAULT_CONFIG)"
                        + " = 'klingon' is not a known text search configuration");
    }
}
