package dev.switchboard.transcripts.redaction;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedactionSettingsTest {
    /** Made from the settings at start: a ConfigurationException, which Quarkus prints as one line, naming the setting. */
    @Test
    void aDigitsMinLengthBelowTwoStopsTheStartNamingTheSetting() {
        assertThatThrownBy(() -> new RedactionSettings(true, false, false, true, 1, true))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.transcripts.redaction.digits.min-length (SWITCHBOARD_TRANSCRIPTS_REDACTION_DIGITS_MIN_LENGTH)"
                        + " must be at least 2, not 1");
    }
}
