package dev.switchboard.controller.webhook;

import dev.switchboard.controller.livekit.LiveKitMappings;
import dev.switchboard.controller.livekit.LiveKitUrl;
import dev.switchboard.events.DisconnectReason;
import dev.switchboard.events.EndReason;
import dev.switchboard.events.ParticipantKind;
import io.quarkus.runtime.configuration.ConfigurationException;
import livekit.LivekitModels;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MappingsTest {

    @Test
    void everyLiveKitEnumValueMapsByNameOrToTheDefault() {
        for (LivekitModels.ParticipantInfo.Kind kind : LivekitModels.ParticipantInfo.Kind.values()) {
            if (kind != LivekitModels.ParticipantInfo.Kind.UNRECOGNIZED) {
                ParticipantKind mapped = LiveKitMappings.kind(kind);
                assertThat(mapped.name()).isIn(kind.name(), "UNKNOWN");
            }
        }
        assertThat(LiveKitMappings.kind(LivekitModels.ParticipantInfo.Kind.SIP)).isEqualTo(ParticipantKind.SIP);
        assertThat(LiveKitMappings.kind(LivekitModels.ParticipantInfo.Kind.BRIDGE)).isEqualTo(ParticipantKind.UNKNOWN);
        assertThat(LiveKitMappings.disconnectReason(LivekitModels.DisconnectReason.USER_REJECTED)).isEqualTo(DisconnectReason.USER_REJECTED);
        assertThat(LiveKitMappings.disconnectReason(LivekitModels.DisconnectReason.AGENT_ERROR)).isEqualTo(DisconnectReason.UNKNOWN_REASON);
    }

    @Test
    void aCallersDepartureExplainsTheEnd() {
        assertThat(CallerDepartures.endReason(DisconnectReason.CLIENT_INITIATED)).isEqualTo(EndReason.CALLER_HANGUP);
        assertThat(CallerDepartures.endReason(DisconnectReason.USER_UNAVAILABLE)).isEqualTo(EndReason.NO_ANSWER);
        assertThat(CallerDepartures.endReason(DisconnectReason.USER_REJECTED)).isEqualTo(EndReason.BUSY);
        assertThat(CallerDepartures.endReason(DisconnectReason.SIP_TRUNK_FAILURE)).isEqualTo(EndReason.TRUNK_FAILURE);
        assertThat(CallerDepartures.endReason(DisconnectReason.SIGNAL_CLOSE)).isEqualTo(EndReason.ROOM_CLOSED);
    }

    @Test
    void theServerApiIsTheLiveKitUrlOverHttp() {
        assertThat(LiveKitUrl.apiBase("wss://demo.livekit.cloud")).isEqualTo("https://demo.livekit.cloud/");
        assertThat(LiveKitUrl.apiBase("ws://localhost:7880/")).isEqualTo("http://localhost:7880/");
        assertThat(LiveKitUrl.apiBase("https://lk.example.com/some/path")).isEqualTo("https://lk.example.com/");
        assertThat(LiveKitUrl.apiBase(" http://127.0.0.1:7880 ")).isEqualTo("http://127.0.0.1:7880/");
        assertThatThrownBy(() -> LiveKitUrl.apiBase("localhost:7880")).hasMessageContaining("ws://, wss://, http:// or https://");
    }

    /** A setting checked at start: a ConfigurationException, which Quarkus prints as one line, naming it. */
    @Test
    void aLiveKitUrlThatIsNotOneNamesTheSetting() {
        assertThatThrownBy(() -> LiveKitUrl.apiBase("localhost:7880")).isInstanceOf(ConfigurationException.class)
                .hasMessage("LIVEKIT_URL (switchboard.livekit.url) must start with ws://, wss://, http:// or https://, not 'localhost:7880'");
        assertThatThrownBy(() -> LiveKitUrl.apiBase("wss://")).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("LIVEKIT_URL (switchboard.livekit.url) ");
        assertThatThrownBy(() -> LiveKitUrl.apiBase("wss://lk example.com")).isInstanceOf(ConfigurationException.class)
                .hasMessage("LIVEKIT_URL (switchboard.livekit.url) is not a URL: 'wss://lk example.com'");
    }
}
