package dev.switchboard.kit.auth;

import io.quarkus.runtime.configuration.ConfigurationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamQuotaTest {
    /** A setting: a ConfigurationException, which Quarkus prints as one line, naming it. */
    @Test
    void aLimitBelowOneNamesTheSetting() {
        assertThatThrownBy(() -> new StreamQuota(0))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("switchboard.http.max-streams-per-caller (SWITCHBOARD_HTTP_MAX_STREAMS_PER_CALLER) must be at least 1, not 0");
    }
}
